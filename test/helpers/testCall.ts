// A call for tests of program hosts (the CG/PL interpreter, compiled JS modules): the product's own
// simulated call (runtime/call/simulated: the real CallInput and the PlayFile/ReadInput rules every
// channel uses) on a virtual clock. This file adds no rule: it turns a per-ReadInput script into the
// caller's steps, records what the program asked for, and reads the rest back from the trace.
import type { EmailRequest, Input, InputEvent } from '../../runtime/call/api';
import { SimulatedCall, type CallerStep } from '../../runtime/call/simulated';

/**
 * What the caller does the next time the program waits in ReadInput: type digits, send an event,
 * hang up, or stay silent (null: that ReadInput times out).
 */
export type ScriptStep = string | { event: InputEvent } | 'hangup' | null;

export interface TestCallOptions {
  script?: ScriptStep[];
  /** What the mail system answers SendEMail: null (queued) or an error string; or a function of the request. */
  email?: string | null | ((req: EmailRequest) => string | null);
  /** The caller hangs up before the program answers, so AcceptCall fails. */
  hungUpBeforeAnswer?: boolean;
  now?: Date;
  /** Throws 'too many steps' after this many PBX operations (for hosts with no step budget of their own). */
  maxOperations?: number;
}

export interface PlayedPrompt {
  name: string;
  msec?: number;
  /** Skipped: keys were typed ahead (with interruption on), an event was queued, or the call was over. */
  skipped: boolean;
}

function callerSteps(script: ScriptStep[]): CallerStep[] {
  return script.flatMap((step): CallerStep[] => {
    const listen = { listen: true } as const;
    if (step === null) return [listen];
    if (step === 'hangup') return [listen, { hangup: true }];
    if (typeof step === 'string') return [listen, { dtmf: step }];
    const { what, parameter, sender } = step.event;
    return [
      listen,
      {
        event: what,
        ...(parameter !== undefined ? { parameter } : {}),
        ...(typeof sender === 'string' ? { sender } : {}),
      },
    ];
  });
}

export class TestCall extends SimulatedCall {
  readonly prompts: PlayedPrompt[] = [];
  /** The seconds of every ReadInput, in order. */
  readonly reads: number[] = [];
  readonly redirects: (string | string[])[] = [];
  readonly disconnects: { code?: number; text?: string }[] = [];
  private operations = 0;
  private readonly maxOperations: number;

  constructor(opts: TestCallOptions = {}) {
    const answer = opts.email;
    super({
      id: 'test-1',
      account: 'ivanov@company.com',
      now: opts.now ?? new Date('2024-03-04T10:00:00Z'),
      caller: callerSteps(opts.script ?? []),
      mailer: { send: async (req) => (typeof answer === 'function' ? answer(req) : (answer ?? null)) },
    });
    this.maxOperations = opts.maxOperations ?? Infinity;
    if (opts.hungUpBeforeAnswer) this.hangup();
  }

  /** What the program did, in order: accept, play <prompt>, mail <subject>, transfer <uri>. */
  get actions(): string[] {
    return this.trace.list().flatMap((e) => {
      if (e.kind === 'answered') return ['accept'];
      if (e.kind === 'prompt-started') return [`play ${e.name}`];
      if (e.kind === 'email-queued') return [`mail ${e.subject}`];
      if (e.kind === 'transfer') return [`transfer ${e.target}`];
      return [];
    });
  }

  private operation(): void {
    if (++this.operations > this.maxOperations) throw new Error('too many steps');
  }

  override accept(): Promise<string | null> {
    this.operation();
    return super.accept();
  }

  override sendEmail(req: EmailRequest): Promise<string | null> {
    this.operation();
    return super.sendEmail(req);
  }

  override record(seconds: number): Promise<Uint8Array | null> {
    this.operation();
    return super.record(seconds);
  }

  /** SysLog lines. */
  get logs(): string[] {
    return this.trace.ofKind('log').map((e) => e.text);
  }

  /** Flow nodes entered. */
  get nodes(): string[] {
    return this.trace.ofKind('node').map((e) => e.id);
  }

  /** E-mails the mail system accepted. */
  get mailed(): EmailRequest[] {
    return this.emails.filter((e) => e.error === null).map((e) => e.request);
  }

  /** Names of the prompts that played (not skipped). */
  get heard(): string[] {
    return this.prompts.filter((p) => !p.skipped).map((p) => p.name);
  }

  override async playFile(name: string, msec?: number): Promise<void> {
    this.operation();
    const before = this.trace.list().length;
    await super.playFile(name, msec);
    const started = this.trace
      .list()
      .slice(before)
      .some((e) => e.kind === 'prompt-started');
    this.prompts.push({ name, ...(msec !== undefined ? { msec } : {}), skipped: !started });
  }

  override readInput(seconds: number): Promise<Input> {
    this.operation();
    this.reads.push(seconds);
    return super.readInput(seconds);
  }

  override redirect(uri: string | string[]): Promise<void> {
    this.operation();
    this.redirects.push(uri);
    return super.redirect(uri);
  }

  override disconnect(code?: number, text?: string): Promise<void> {
    this.disconnects.push({ ...(code !== undefined ? { code } : {}), ...(text !== undefined ? { text } : {}) });
    return super.disconnect(code, text);
  }
}
