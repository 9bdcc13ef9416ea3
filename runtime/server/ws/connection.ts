// One designer window's socket: its messages are checked, its test calls started (each in a call
// slot reserved before anything is awaited) and driven, and hung up when the socket closes.
import { randomUUID } from 'node:crypto';
import { WebSocket, type RawData } from 'ws';
import type { ServerContext } from '../context';
import { LiveCall } from './calls';
import { parseClientMessage, type ClientMessage } from './messages';
import { prepareCall } from './prepare';
import { type CallSlots, isCapHit, SocketSlots, type Slot } from './slots';
import type { LiveSip } from './sip';

type Start = Extract<ClientMessage, { type: 'call.start' }>;
type CallCommand = Exclude<ClientMessage, { type: 'call.start' | 'sip.start' | 'sip.stop' }>;

export interface ConnectionDeps {
  ctx: ServerContext;
  slots: CallSlots;
  sip: LiveSip;
  /** Every running call of the server (for close()). */
  allCalls: Map<string, LiveCall>;
}

export class Connection {
  private readonly calls = new Map<string, LiveCall>();
  private readonly mine = new SocketSlots();

  constructor(
    private readonly ws: WebSocket,
    private readonly deps: ConnectionDeps,
  ) {
    ws.on('error', () => undefined);
    ws.on('message', (data: RawData, isBinary: boolean) => {
      this.handle(data, isBinary).catch((err: unknown) =>
        this.send({ type: 'error', error: `internal error: ${err instanceof Error ? err.message : String(err)}` }),
      );
    });
    ws.on('close', () => {
      for (const call of this.calls.values()) void call.stop();
    });
    const running = deps.sip.current();
    if (running) this.send(running);
  }

  readonly send = (message: Record<string, unknown>): void => {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  };

  private async handle(data: RawData, isBinary: boolean): Promise<void> {
    if (isBinary) return this.send({ type: 'error', error: 'binary messages are not understood; send JSON text' });
    const parsed = parseClientMessage(rawText(data));
    if ('error' in parsed) return this.send({ type: 'error', error: parsed.error });
    const message = parsed.message;
    if (message.type === 'call.start') return this.start(message);
    if (message.type === 'sip.start') return this.deps.sip.start(message.path, this.send);
    if (message.type === 'sip.stop') return this.deps.sip.stop();
    const call = this.calls.get(message.callId);
    if (!call)
      return this.send({
        type: 'error',
        callId: message.callId,
        error: `no call ${message.callId} on this connection`,
      });
    command(call, message);
  }

  private async start(message: Start): Promise<void> {
    // Synchronously, before the first await: a burst of starts cannot get past the caps.
    const slot = this.deps.slots.reserve(this.mine);
    if (isCapHit(slot)) return this.send({ type: 'call.error', cap: slot.cap, error: slot.error });
    let running = false;
    try {
      const prepared = await prepareCall(this.deps.ctx, message);
      if ('error' in prepared) return this.send({ type: 'call.error', ...prepared });
      if (this.ws.readyState !== WebSocket.OPEN) return;
      this.run(prepared, slot);
      running = true;
    } finally {
      if (!running) slot.release();
    }
  }

  private run(prepared: Extract<Awaited<ReturnType<typeof prepareCall>>, { options: unknown }>, slot: Slot): void {
    const { ctx, allCalls } = this.deps;
    const id = `call-${randomUUID()}`;
    const call = new LiveCall({
      id,
      ...prepared.options,
      mailer: ctx.mailer,
      workspace: ctx.workspace,
      send: this.send,
    });
    this.calls.set(id, call);
    allCalls.set(id, call);
    this.send({ type: 'call.started', callId: id, sppr: prepared.sppr, sourceMap: prepared.sourceMap });
    void call.start().finally(() => {
      this.calls.delete(id);
      allCalls.delete(id);
      slot.release();
    });
  }
}

/** A command for a running call. */
function command(call: LiveCall, message: CallCommand): void {
  switch (message.type) {
    case 'call.dtmf':
      return call.dtmf(message.digits);
    case 'call.hangup':
      return call.hangup();
    case 'call.pause':
      return call.pause();
    case 'call.continue':
      return void call.continue();
    case 'call.step':
      return void call.step();
    case 'call.breakpoints':
      return call.setBreakpoints(message.breakpoints);
    case 'call.smtp':
      return call.setEmailRefused(message.smtp === 'refuse');
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}
