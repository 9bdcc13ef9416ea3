// The CLI over the PWD protocol (TCP, port 106 by default): greeting, TLS (STLS when the server
// takes it, or a TLS listener), login (the APOP-style digest when the greeting carries a challenge,
// USER/PASS otherwise), INLINE so every answer with data comes on its one line, then commands.
import { decodeCli, type CliValue } from './cliData';
import {
  CliCommandError,
  CliConnectionError,
  CliLoginError,
  type CliConnection,
  type ConnectOptions,
} from './connection';
import { LineSocket } from './lineSocket';
import {
  OK_INLINE,
  SEND_PASSWORD,
  apopDigest,
  challengeOf,
  isSuccess,
  maskCommand,
  parseReplyLine,
  type ReplyLine,
} from './protocol';

export const PWD_PORT = 106;

/**
 * @example
 *   const cli = await connectPwd({ host: 'mail.company.com', port: 106, user: 'postmaster', password, tls: 'auto' });
 *   await cli.command('LISTDOMAINPBXFILES "company.com"', { data: true });
 */
export async function connectPwd(options: ConnectOptions): Promise<CliConnection> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const tlsOptions = options.ca ? { ca: options.ca } : {};
  const socket = await LineSocket.open(
    options.host,
    options.port,
    timeoutMs,
    options.tls === 'implicit' ? tlsOptions : undefined,
  );
  const where = socket.where;
  const log = options.onLine ?? (() => {});
  const send = (line: string) => {
    log({ from: 'client', text: maskCommand(line) });
    socket.write(line);
  };
  const reply = async (): Promise<ReplyLine> => {
    const line = await socket.readLine();
    log({ from: 'server', text: maskCommand(line) });
    const r = parseReplyLine(line);
    if (!r) throw new CliConnectionError(`${where}: not a CommuniGate CLI answer: ${clip(line)}`);
    return r;
  };

  try {
    const greeting = await reply();
    if (greeting.code !== 200)
      throw new CliConnectionError(`${where}: the server is not ready: ${greeting.code} ${greeting.text}`);
    if (options.tls === 'auto' || options.tls === 'require') {
      send('STLS');
      const r = await reply();
      if (isSuccess(r)) await socket.startTls(options.host, options.ca);
      else if (options.tls === 'require')
        throw new CliConnectionError(`${where}: the server does not offer TLS (STLS: ${r.code} ${r.text})`);
    }
    await login(greeting.text, socket.encrypted);
    send('INLINE');
    const inline = isSuccess(await reply());
    return session(inline);
  } catch (err) {
    socket.close();
    throw err;
  }

  async function login(greeting: string, encrypted: boolean): Promise<void> {
    const challenge = challengeOf(greeting);
    let answer: ReplyLine;
    if (challenge !== null) {
      send(`APOP ${options.user} ${apopDigest(challenge, options.password)}`);
      answer = await reply();
    } else {
      if (!encrypted && !options.allowPlainPassword)
        throw new CliConnectionError(
          `${where}: the server offers neither TLS nor a secure login: refusing to send the password in clear text (use --tls implicit, or --allow-plain-password)`,
        );
      send(`USER ${options.user}`);
      const first = await reply();
      if (first.code !== SEND_PASSWORD) throw new CliLoginError(where, `${first.code} ${first.text}`);
      send(`PASS ${options.password}`);
      answer = await reply();
    }
    if (!isSuccess(answer)) throw new CliLoginError(where, `${answer.code} ${answer.text}`);
  }

  function session(inline: boolean): CliConnection {
    let queue: Promise<unknown> = Promise.resolve();
    const run = async (line: string, data: boolean): Promise<CliValue | undefined> => {
      send(line);
      const r = await reply();
      if (!isSuccess(r)) throw new CliCommandError(maskCommand(line), `${r.code} ${r.text}`);
      if (r.code === OK_INLINE) return decoded(line, r.text);
      if (!data || inline) return undefined;
      // Without INLINE the data follows on lines of its own, as many as the value takes.
      let text = '';
      for (;;) {
        const next = await socket.readLine();
        text += `${next}\n`;
        const v = decodeCli(text);
        if (v.ok) return v.value;
        if (!/end of the text|without its closing|unterminated/.test(v.error)) return decoded(line, text);
      }
    };
    return {
      description: `PWD ${where}${socket.encrypted ? ', TLS' : ''}`,
      command(line, opts = {}) {
        const result = queue.then(() => run(line, opts.data ?? false));
        queue = result.catch(() => {});
        return result;
      },
      async close() {
        await queue;
        try {
          send('QUIT');
          await Promise.race([reply(), new Promise((r) => setTimeout(r, 2000))]);
        } catch {
          // already gone: nothing to say goodbye to
        }
        socket.close();
      },
    };
  }

  function decoded(line: string, text: string): CliValue {
    const v = decodeCli(text);
    if (!v.ok)
      throw new CliConnectionError(
        `${where}: the answer to ${clip(maskCommand(line))} is not CommuniGate data: ${v.error} at character ${v.at + 1}`,
      );
    return v.value;
  }
}

const clip = (s: string) => (s.length > 120 ? `${s.slice(0, 117)}...` : s);
