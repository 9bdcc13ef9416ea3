// What both CLI transports (PWD over TCP, the HTTP /CLI/ form) offer the deploy: run one command,
// get its data or the server's answer as an error. Every failure is one of three kinds, each with a
// line a person can act on.
import type { CliValue } from './cliData';

export interface CliConnection {
  /** "PWD 127.0.0.1:106, TLS" — what the progress and the errors call this server. */
  readonly description: string;
  /**
   * Runs one CLI command line. `data`: the command answers with a value (LIST…, READ…, GET…).
   * Resolves with that value (undefined when the command answers none); rejects with CliCommandError
   * when the server refuses it, CliConnectionError when the connection fails.
   */
  command(line: string, options?: { data?: boolean }): Promise<CliValue | undefined>;
  /** Says goodbye (QUIT) and closes; never rejects. */
  close(): Promise<void>;
}

/** One line of the conversation as a transcript shows it (passwords masked, data shortened). */
export type TranscriptLine = { from: 'client' | 'server'; text: string };

/** The server refused a command: `answer` is its error line as sent ("501 Unknown domain name"). */
export class CliCommandError extends Error {
  constructor(
    readonly command: string,
    readonly answer: string,
  ) {
    super(`${command}: the server answered ${answer}`);
    this.name = 'CliCommandError';
  }
}

/** The server could not be reached, dropped the connection, timed out, or does not speak the CLI. */
export class CliConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliConnectionError';
  }
}

/** The user name or password was refused. */
export class CliLoginError extends CliConnectionError {
  constructor(
    readonly server: string,
    readonly answer: string,
  ) {
    super(`${server}: login refused: ${answer}`);
    this.name = 'CliLoginError';
  }
}

export interface ConnectOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  /**
   * PWD — auto: TLS when the server accepts STLS, else clear text (the password still travels as an
   * APOP digest); require: STLS must succeed; implicit: the listener speaks TLS from the first byte;
   * off. HTTP — off: http://, anything else: https://.
   */
  tls: 'auto' | 'require' | 'implicit' | 'off';
  /** Extra trusted certificates (PEM) besides the system ones. */
  ca?: string[];
  /** Allow USER/PASS in clear text when there is neither TLS nor a login challenge. */
  allowPlainPassword?: boolean;
  /** Per command (and for connecting); default 60 s. */
  timeoutMs?: number;
  onLine?: (line: TranscriptLine) => void;
}

/** Network errors as one plain line. */
export function describeNetworkError(err: unknown, where: string): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return `${where}: connection refused (is the CLI listener on that port?)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${where}: unknown host`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where}: unreachable`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `${where}: the connection was reset`;
    case 'ETIMEDOUT':
      return `${where}: timed out`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'CERT_HAS_EXPIRED':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `${where}: the server's TLS certificate is not trusted (${code}; pass its CA with --ca FILE)`;
    default:
      return `${where}: ${err instanceof Error ? err.message : String(err)}`;
  }
}
