// A TCP (or TLS) socket read as lines, with a deadline on every read: the PWD conversation is one
// line out, one line back. A dropped connection or a silent server fails the pending read, never
// hangs it; a line longer than the cap is refused instead of filling memory.
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { StringDecoder } from 'node:string_decoder';
import { CliConnectionError, describeNetworkError } from './connection';

/** The longest answer line accepted: a datablock of a large prompt fits many times over. */
export const MAX_LINE = 64 * 1024 * 1024;

export class LineSocket {
  private buffer = '';
  /** Where the buffer may hold a line break: text before it has none. */
  private scanned = 0;
  private decoder = new StringDecoder('utf8');
  private waiting: { resolve(line: string): void; reject(err: Error): void } | null = null;
  private failure: Error | null = null;
  private readonly onData = (chunk: Buffer) => this.take(this.decoder.write(chunk));
  private readonly onEnd = () => this.fail(new CliConnectionError(`${this.where}: the server closed the connection`));
  private readonly onError = (err: Error) => this.fail(new CliConnectionError(describeNetworkError(err, this.where)));

  private constructor(
    private socket: Socket | TLSSocket,
    readonly where: string,
    private readonly timeoutMs: number,
  ) {
    this.attach();
  }

  static open(host: string, port: number, timeoutMs: number, tls?: { ca?: string[] }): Promise<LineSocket> {
    const where = `${host}:${port}`;
    return new Promise((resolve, reject) => {
      const socket = tls
        ? tlsConnect({ host, port, servername: isIp(host) ? undefined : host, ...(tls.ca ? { ca: tls.ca } : {}) })
        : netConnect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new CliConnectionError(`${where}: no answer within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      socket.once(tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        resolve(new LineSocket(socket, where, timeoutMs));
      });
      const onError = (err: Error) => {
        clearTimeout(timer);
        reject(new CliConnectionError(describeNetworkError(err, where)));
      };
      socket.once('error', onError);
    });
  }

  get encrypted(): boolean {
    return 'encrypted' in this.socket && this.socket.encrypted === true;
  }

  /** Upgrades this connection to TLS (after the server accepted STLS). */
  async startTls(host: string, ca?: string[]): Promise<void> {
    this.detach();
    const raw = this.socket;
    const secure = await new Promise<TLSSocket>((resolve, reject) => {
      const s = tlsConnect({ socket: raw, servername: isIp(host) ? undefined : host, ...(ca ? { ca } : {}) });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new CliConnectionError(`${this.where}: the TLS handshake did not finish`));
      }, this.timeoutMs);
      s.once('secureConnect', () => {
        clearTimeout(timer);
        s.off('error', onError);
        resolve(s);
      });
      const onError = (err: Error) => {
        clearTimeout(timer);
        reject(new CliConnectionError(describeNetworkError(err, this.where)));
      };
      s.once('error', onError);
    });
    this.socket = secure;
    this.decoder = new StringDecoder('utf8');
    this.attach();
  }

  write(line: string): void {
    if (this.failure) throw this.failure;
    this.socket.write(`${line}\r\n`);
  }

  /** The next line without its line break. */
  readLine(): Promise<string> {
    const line = this.nextBuffered();
    if (line !== null) return Promise.resolve(line);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        reject(new CliConnectionError(`${this.where}: no answer within ${Math.round(this.timeoutMs / 1000)} s`));
        this.socket.destroy();
      }, this.timeoutMs);
      this.waiting = {
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
    });
  }

  close(): void {
    this.detach();
    this.socket.end();
    this.socket.destroy();
  }

  private attach(): void {
    this.socket.on('data', this.onData);
    this.socket.on('end', this.onEnd);
    this.socket.on('close', this.onEnd);
    this.socket.on('error', this.onError);
  }

  private detach(): void {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
    // a late error on a socket we let go of must not crash the process
    this.socket.on('error', () => {});
  }

  private take(text: string): void {
    this.buffer += text;
    if (this.buffer.length > MAX_LINE && this.buffer.indexOf('\n', this.scanned) < 0) {
      this.fail(new CliConnectionError(`${this.where}: the server sent a line longer than ${MAX_LINE} bytes`));
      this.socket.destroy();
      return;
    }
    if (!this.waiting) return;
    const line = this.nextBuffered();
    if (line === null) return;
    const w = this.waiting;
    this.waiting = null;
    w.resolve(line);
  }

  private nextBuffered(): string | null {
    const at = this.buffer.indexOf('\n', this.scanned);
    if (at < 0) {
      this.scanned = this.buffer.length;
      return null;
    }
    const line = this.buffer.slice(0, at).replace(/\r$/, '');
    this.buffer = this.buffer.slice(at + 1);
    this.scanned = 0;
    return line;
  }

  private fail(err: Error): void {
    this.failure ??= err;
    const w = this.waiting;
    this.waiting = null;
    w?.reject(this.failure);
  }
}

function isIp(host: string): boolean {
  return /^[0-9.]+$/.test(host) || host.includes(':');
}
