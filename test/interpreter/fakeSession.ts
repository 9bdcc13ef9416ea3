// A scripted CallSession for interpreter tests: ReadInput follows a script, everything the program
// does (prompts, e-mails, logs, redirects, flow nodes) is recorded.
import type { CallSession, EmailRequest, Input, InputEvent } from '../../runtime/call/api';

/** What the caller does at one ReadInput: type digits, send an event, hang up, or stay silent (null). */
export type ScriptStep = string | { event: InputEvent } | 'hangup' | null;

export interface FakeOptions {
  script?: ScriptStep[];
  /** SendEMail's answer: null (queued) or an error string; or a function of the request. */
  email?: string | null | ((req: EmailRequest) => string | null);
  acceptResult?: string | null;
  now?: Date;
  prefs?: Record<string, unknown>;
  myEmail?: string;
}

export interface Prompt {
  name: string;
  msec?: number;
  /** Skipped because digits were buffered (interruption on) or the call was over. */
  skipped: boolean;
}

export class FakeSession implements CallSession {
  readonly id = 'fake-1';
  buffer = '';
  connected = false;
  ended = false;
  interrupt = true;
  language = '';
  readonly prompts: Prompt[] = [];
  readonly emails: EmailRequest[] = [];
  readonly logs: string[] = [];
  readonly nodes: string[] = [];
  readonly redirects: (string | string[])[] = [];
  readonly disconnects: { code?: number; text?: string }[] = [];
  readonly reads: number[] = [];
  private readonly script: ScriptStep[];

  constructor(private readonly opts: FakeOptions = {}) {
    this.script = [...(opts.script ?? [])];
  }

  /** Names of the prompts actually heard. */
  get heard(): string[] {
    return this.prompts.filter((p) => !p.skipped).map((p) => p.name);
  }

  async accept(): Promise<string | null> {
    if (this.ended) return 'call ended';
    const r = this.opts.acceptResult ?? null;
    if (r === null) this.connected = true;
    return r;
  }
  async playFile(name: string, msec?: number): Promise<void> {
    const skipped = this.ended || (this.interrupt && this.buffer.length > 0);
    this.prompts.push({ name, ...(msec !== undefined ? { msec } : {}), skipped });
  }
  async readInput(seconds: number): Promise<Input> {
    this.reads.push(seconds);
    if (this.buffer.length === 0 && !this.ended) {
      const step = this.script.length > 0 ? this.script.shift()! : null;
      if (step === 'hangup') {
        this.ended = true;
        this.connected = false;
      } else if (typeof step === 'string') this.buffer += step;
      else if (step !== null) return step.event;
    }
    if (this.buffer.length > 0) {
      const c = this.buffer[0]!;
      this.buffer = this.buffer.slice(1);
      return c;
    }
    if (this.ended) return { what: 'Disconnect' };
    return null;
  }
  dtmf(): string {
    return this.buffer;
  }
  clearDtmf(): void {
    this.buffer = '';
  }
  setInterruptOnDtmf(flag: boolean): void {
    this.interrupt = flag;
  }
  async sendEmail(req: EmailRequest): Promise<string | null> {
    const e = this.opts.email;
    const r = typeof e === 'function' ? e(req) : (e ?? null);
    if (r === null) this.emails.push(req);
    return r;
  }
  async redirect(uri: string | string[]): Promise<void> {
    this.redirects.push(uri);
    this.connected = false;
    this.ended = true;
  }
  async record(): Promise<Uint8Array | null> {
    return this.ended ? null : new Uint8Array([82, 73, 70, 70]);
  }
  async disconnect(code?: number, text?: string): Promise<void> {
    this.disconnects.push({ ...(code !== undefined ? { code } : {}), ...(text !== undefined ? { text } : {}) });
    this.connected = false;
    this.ended = true;
  }
  isConnected(): boolean {
    return this.connected;
  }
  remoteUri(): string {
    return 'sip:caller@example.net';
  }
  localUri(): string {
    return 'sip:callback@company.com';
  }
  myEmail(): string {
    return this.opts.myEmail ?? 'ivanov@company.com';
  }
  myDomain(): string {
    return this.myEmail().split('@')[1] ?? '';
  }
  setLanguage(lang: string | null): void {
    this.language = lang ?? '';
  }
  getLanguage(): string {
    return this.language;
  }
  getAccountPreference(key: string): unknown {
    return this.opts.prefs?.[key] ?? null;
  }
  now(): Date {
    return this.opts.now ?? new Date('2024-03-04T10:00:00Z');
  }
  node(id: string): void {
    this.nodes.push(id);
  }
  log(text: string): void {
    this.logs.push(text);
  }
}
