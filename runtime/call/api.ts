// One Call API shared by every channel (simulated, SIP) and every program host (the CG/PL
// interpreter, the compiled JS module). The PBX built-ins of CG/PL map one-to-one onto it.

/** An event from ReadInput: a dictionary with `what`, `sender`, `parameter` (Disconnect has no sender). */
export interface InputEvent {
  what: string;
  sender?: string;
  parameter?: unknown;
}

/** ReadInput's result: one DTMF symbol, an event, or null (nothing in time). */
export type Input = string | InputEvent | null;

export interface EmailPart {
  /** e.g. "audio/wav" */
  contentType: string;
  fileName?: string;
  body: string | Uint8Array;
}

export interface EmailRequest {
  from: string;
  subject: string;
  to: string;
  /** Extra header fields (name → value), or null. */
  headers: Record<string, string> | null;
  /** Text body, or MIME parts (first text, then attachments). */
  content: string | Uint8Array | (string | EmailPart)[];
}

export interface CallSession {
  readonly id: string;
  /** AcceptCall(): null once answered, else an error string. */
  accept(): Promise<string | null>;
  /**
   * PlayFile(name[, msec]): play an environment file (language folder first, then the root).
   * Skipped or cut short when the DTMF buffer is not empty (unless interruption is off), when an
   * event is queued, or when the call has ended. msec > 0 plays that long looping; < 0 forever.
   */
  playFile(name: string, msec?: number): Promise<void>;
  /** ReadInput(seconds): first buffered DTMF symbol (removed), else first event, else null after the wait. */
  readInput(seconds: number): Promise<Input>;
  /** DTMF(): the buffered symbols, not removed. */
  dtmf(): string;
  clearDtmf(): void;
  setInterruptOnDtmf(flag: boolean): void;
  /** SendEMail: null once accepted for delivery, else an error string. */
  sendEmail(req: EmailRequest): Promise<string | null>;
  /** RedirectCall(uri): the call leaves this task (the task is disconnected). */
  redirect(uri: string | string[]): Promise<void>;
  /** Record(seconds): WAV bytes, or null when nothing was recorded / cut off. */
  record(seconds: number): Promise<Uint8Array | null>;
  /** Disconnect() / the program ended: we hang up. */
  disconnect(code?: number, text?: string): Promise<void>;
  isConnected(): boolean;
  remoteUri(): string;
  localUri(): string;
  /** The account the task runs for, e.g. "ivanov@company.com". */
  myEmail(): string;
  myDomain(): string;
  setLanguage(lang: string | null): void;
  getLanguage(): string;
  getAccountPreference(key: string): unknown;
  /** The call's clock (real for live calls, virtual in tests and "pretend it is Sunday 23:00"). */
  now(): Date;
  /** The program entered a flow node (from the source map or the compiled JS). */
  node(id: string): void;
  /** SysLog(x) */
  log(text: string): void;
}
