// Drives test calls over the server's WebSocket: call.start, keys, hang up, the debugger, and the
// prompts played as audio in the page while the server's real clock runs the program. Also starts
// and stops the server's live SIP runtime.
import type { ApiClient, ClientMessage, ServerMessage, Socket } from '../api/client';
import type { CallPort } from '../actions/types';
import { promptHome, type FlowStore } from '../store/flowStore';
import type { UiStore } from '../store/uiStore';
import { IDLE, reduceServerMessage, type CallStore } from './callStore';
import { SIP_OFF } from './sipCalls';
import { flowTimeZone, zonedToInstant } from './zonedTime';

/** Starts and stops the live SIP runtime (the Phone panel's Live SIP section). */
export interface SipPort {
  startSip(path: string): Promise<void>;
  stopSip(): Promise<void>;
}

/** The SIP side of the call port, when the page has one (tests and a page without a server do not). */
export function sipPortOf(calls: unknown): SipPort | null {
  const p = calls as Partial<SipPort> | null;
  return p && typeof p.startSip === 'function' && typeof p.stopSip === 'function' ? (p as SipPort) : null;
}

export class CallSession implements CallPort, SipPort {
  private socket: Promise<Socket> | null = null;
  private audio: HTMLAudioElement | null = null;

  constructor(
    private readonly api: ApiClient,
    private readonly call: CallStore,
    private readonly flow: FlowStore,
    private readonly ui: UiStore,
  ) {}

  async start(): Promise<void> {
    const state = this.flow.getState();
    const { doc } = state;
    // An unsaved flow's prompts are in its draft folder.
    const path = promptHome(state);
    const c = this.call.getState();
    let socket: Socket;
    try {
      socket = await this.connect();
    } catch (e) {
      this.ui.getState().notify(e instanceof Error ? e.message : String(e), 'error');
      return;
    }
    // "Pretend the time is" is the flow's local time (its time zone, else this computer's).
    const at = c.at ? zonedToInstant(c.at, flowTimeZone(doc).zone) : null;
    c.set({ ...IDLE, status: 'starting', clockStart: at ? at.getTime() : Date.now() });
    socket.send({
      type: 'call.start',
      flow: doc,
      ...(path ? { path } : {}),
      target: c.target,
      ...(c.account ? { account: c.account } : {}),
      ...(c.language ? { language: c.language } : {}),
      ...(at && !Number.isNaN(at.getTime()) ? { at: at.toISOString() } : {}),
      ...startParameterOf(c.startParameter),
      ...partiesOf(c.phones),
      breakpoints: c.breakpoints,
    });
  }

  send(type: 'call.hangup' | 'call.pause' | 'call.continue' | 'call.step'): void {
    const callId = this.call.getState().callId;
    if (callId) void this.socket?.then((s) => s.send({ type, callId }));
    if (type === 'call.hangup') this.stopAudio();
  }

  dtmf(digits: string): void {
    const callId = this.call.getState().callId;
    if (callId) void this.socket?.then((s) => s.send({ type: 'call.dtmf', callId, digits }));
  }

  syncBreakpoints(): void {
    const { callId, breakpoints } = this.call.getState();
    if (callId) void this.socket?.then((s) => s.send({ type: 'call.breakpoints', callId, breakpoints }));
  }

  async startSip(path: string): Promise<void> {
    const s = this.call.getState();
    s.set({ sip: { ...s.sip, status: 'starting', error: null } });
    await this.sendSip({ type: 'sip.start', path });
  }

  async stopSip(): Promise<void> {
    await this.sendSip({ type: 'sip.stop' });
  }

  private async sendSip(message: Extract<ClientMessage, { type: 'sip.start' | 'sip.stop' }>): Promise<void> {
    try {
      (await this.connect()).send(message);
    } catch (e) {
      const s = this.call.getState();
      s.set({ sip: { ...s.sip, status: s.sip.uri ? 'on' : 'off' } });
      this.ui.getState().notify(e instanceof Error ? e.message : String(e), 'error');
    }
  }

  /** Opens the socket now, so outbox changes arrive even before the first call. */
  connect(): Promise<Socket> {
    this.socket ??= this.api.connect(
      (m) => this.onMessage(m),
      () => {
        this.socket = null;
        const s = this.call.getState();
        if (s.status === 'running' || s.status === 'paused' || s.status === 'starting') {
          s.set({
            status: 'ended',
            error: 'the connection to the server was lost',
            activeNodeId: null,
            waitingUntil: null,
          });
        }
        // The server stops nothing when a socket closes, but this page can no longer tell.
        if (s.sip.status !== 'off')
          s.set({
            sip: {
              ...SIP_OFF,
              calls: s.sip.calls,
              selected: s.sip.selected,
              error: 'the connection to the server was lost',
            },
          });
      },
    );
    this.socket.catch(() => {
      this.socket = null;
    });
    return this.socket;
  }

  private onMessage(m: ServerMessage): void {
    const state = this.call.getState();
    state.set(reduceServerMessage(state, m, Date.now()));
    if (m.type === 'call.error') this.ui.getState().notify(`the call did not start: ${m.error}`, 'error');
    if (m.type === 'error') {
      this.ui.getState().notify(`the server did not understand: ${m.error}`, 'error');
      // A refused sip.start gets a plain error: do not leave the button waiting.
      const now = this.call.getState();
      if (now.sip.status === 'starting') now.set({ sip: { ...now.sip, status: now.sip.uri ? 'on' : 'off' } });
    }
    if (m.type === 'sip.error') this.ui.getState().notify(`Live SIP: ${m.error}`, 'error');
    if (m.type === 'call.ended') this.stopAudio();
    // Paused: the program's line is shown, highlighted, in the CG/PL tab.
    if (m.type === 'call.paused' && m.callId === state.callId && m.line !== null)
      this.ui.getState().set({ bottomOpen: true, bottomTab: 'cgpl' });
    if (m.type !== 'call.trace' || m.callId !== state.callId) return;
    const e = m.event;
    if (e.kind === 'prompt-started') this.play(m.event.audio ?? null);
    else if (e.kind === 'prompt-cut' || e.kind === 'hangup') this.stopAudio();
  }

  private play(path: string | null): void {
    this.stopAudio();
    if (!path || typeof Audio === 'undefined') return;
    this.audio = new Audio(this.api.audioUrl(path));
    // Autoplay rules may refuse; the trace still shows what was played.
    this.audio.play().catch(() => {});
  }

  private stopAudio(): void {
    this.audio?.pause();
    this.audio = null;
  }
}

/** "p1,p2" → ["p1", "p2"] (app{p1,p2}); one value stays a string; empty: none. */
export function startParameterOf(text: string): { startParameter?: string | string[] } {
  const t = text.trim();
  if (t === '') return {};
  return { startParameter: t.includes(',') ? t.split(',').map((p) => p.trim()) : t };
}

const PHONE_STATUSES = ['answers', 'busy', 'noAnswer', 'unregistered', 'rejects'] as const;
type PhoneStatus = (typeof PHONE_STATUSES)[number];

/** "ivanov=busy, petrov=noAnswer" → parties for call.start; unknown statuses are left out. */
export function partiesOf(text: string): { parties?: Record<string, { status: PhoneStatus }> } {
  const parties: Record<string, { status: PhoneStatus }> = {};
  for (const pair of text.split(',')) {
    const [who, status] = pair.split('=').map((p) => p.trim());
    if (who && PHONE_STATUSES.includes(status as PhoneStatus)) parties[who] = { status: status as PhoneStatus };
  }
  return Object.keys(parties).length > 0 ? { parties } : {};
}
