// The CLI through WebAdmin's HTTP form: POST /CLI/ with the command as the `command` field and the
// administrator's name and password as HTTP Basic authentication. A command's data is the response
// body. How the form reports a refused command is not in the documentation we had: a non-2xx status
// is read as a refusal with the body's first line as the server's answer (kept here, in one place).
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { decodeCli, type CliValue } from './cliData';
import {
  CliCommandError,
  CliConnectionError,
  CliLoginError,
  describeNetworkError,
  type CliConnection,
  type ConnectOptions,
} from './connection';
import { maskCommand } from './protocol';

export const HTTP_PORT = 8010;
export const HTTPS_PORT = 9010;
const MAX_BODY = 64 * 1024 * 1024;

/** The HTTP form keeps no session: every command carries the login; the first one tells whether it is refused. */
export async function connectHttp(options: ConnectOptions): Promise<CliConnection> {
  // Basic authentication carries the password itself: HTTPS unless TLS is explicitly off.
  const secure = options.tls !== 'off';
  const where = `${secure ? 'https' : 'http'}://${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}/CLI/`;
  if (!secure && !options.allowPlainPassword)
    throw new CliConnectionError(
      `${where}: HTTP Basic authentication sends the password in clear text: use HTTPS (leave --tls on), or --allow-plain-password`,
    );
  const timeoutMs = options.timeoutMs ?? 60_000;
  const log = options.onLine ?? (() => {});
  const auth = `Basic ${Buffer.from(`${options.user}:${options.password}`, 'utf8').toString('base64')}`;

  const post = (line: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const body = new URLSearchParams({ command: line }).toString();
      const req = (secure ? httpsRequest : httpRequest)(
        {
          host: options.host,
          port: options.port,
          method: 'POST',
          path: '/CLI/',
          headers: {
            Authorization: auth,
            'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
            'Content-Length': Buffer.byteLength(body),
          },
          timeout: timeoutMs,
          ...(secure && options.ca ? { ca: options.ca } : {}),
        },
        (res) => readBody(res).then((text) => resolve({ status: res.statusCode ?? 0, body: text }), reject),
      );
      req.on('timeout', () => req.destroy(new CliConnectionError(`${where}: no answer within ${timeoutMs / 1000} s`)));
      req.on('error', (err) =>
        reject(err instanceof CliConnectionError ? err : new CliConnectionError(describeNetworkError(err, where))),
      );
      req.end(body);
    });

  const run = async (line: string, data: boolean): Promise<CliValue | undefined> => {
    log({ from: 'client', text: `POST /CLI/ command=${maskCommand(line)}` });
    const { status, body } = await post(line);
    const first = body.split(/\r?\n/, 1)[0]!.trim();
    log({ from: 'server', text: `HTTP ${status}${first ? ` ${maskCommand(clip(first))}` : ''}` });
    if (status === 401 || status === 403) throw new CliLoginError(where, `HTTP ${status} ${first}`.trim());
    if (status < 200 || status > 299) throw new CliCommandError(maskCommand(line), `HTTP ${status} ${first}`.trim());
    if (!data) return undefined;
    const v = decodeCli(body);
    if (!v.ok)
      throw new CliConnectionError(
        `${where}: the answer to ${clip(maskCommand(line))} is not CommuniGate data: ${v.error} at character ${v.at + 1}`,
      );
    return v.value;
  };

  return {
    description: where,
    command: (line, opts = {}) => run(line, opts.data ?? false),
    close: async () => {},
  };

  function readBody(res: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) {
          res.destroy();
          reject(new CliConnectionError(`${where}: the answer is larger than ${MAX_BODY} bytes`));
        } else chunks.push(c);
      });
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', (err) => reject(new CliConnectionError(describeNetworkError(err, where))));
      res.on('aborted', () => reject(new CliConnectionError(`${where}: the server closed the connection`)));
    });
  }
}

const clip = (s: string) => (s.length > 120 ? `${s.slice(0, 117)}...` : s);
