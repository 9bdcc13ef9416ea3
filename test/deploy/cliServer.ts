// A small CommuniGate CLI server for the deploy tests, written from the CLI/API documentation (no real
// server was available): the PWD protocol on TCP (greeting with an APOP challenge, USER/PASS or
// APOP, STLS when given a certificate, INLINE, QUIT) and WebAdmin's HTTP /CLI/ form, speaking the
// data format with its own reader and writer (not the client's). It keeps domains, their PBX
// environments and accounts in memory and answers the PBX and account commands the deploy uses.
// Faults on request: drop the connection while the Nth STOREDOMAINPBXFILE arrives.
import { createHash, randomBytes } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { TLSSocket } from 'node:tls';

type Val = string | bigint | Buffer | Date | null | Val[] | Map<string, Val>;

interface Pbx {
  files: Map<string, { data: Buffer; modified: Date }>;
  folders: Set<string>;
}

export interface DomainState {
  pbx: Pbx | null;
  accounts: Map<string, { prefs: Map<string, Val>; rules: Val[] }>;
}

export interface CliServerOptions {
  users?: Record<string, string>;
  /** domain → its account names */
  domains?: Record<string, string[]>;
  /** The greeting carries an APOP challenge (default true). */
  challenge?: boolean;
  /** Offer STLS with this certificate. */
  tls?: { key: string; cert: string };
  /** Also serve the HTTP /CLI/ form (over HTTPS when `tls` is given). */
  http?: boolean;
  /** Answer INLINE as an unknown command: data then comes on lines after "200 data follow". */
  noInline?: boolean;
  /** Drop the connection when the nth STOREDOMAINPBXFILE (1-based) starts to arrive. */
  dropOnStore?: number;
  /** Whether listings carry STSize (default true). */
  sizes?: boolean;
}

export interface CliTestServer {
  port: number;
  httpPort: number | null;
  /** Every command received after login, as "VERB args…" with datablocks shortened. */
  log: string[];
  domain(name: string): DomainState;
  /** Lines sent and received on the PWD connections ("C: …", "S: …"). */
  wire: string[];
  close(): Promise<void>;
}

class CliFail extends Error {
  constructor(
    readonly code: number,
    text: string,
  ) {
    super(text);
  }
}

export async function startCliServer(options: CliServerOptions = {}): Promise<CliTestServer> {
  const users = options.users ?? { postmaster: 'Pw-4-test' };
  const domains = new Map<string, DomainState>();
  for (const [name, accounts] of Object.entries(options.domains ?? { 'company.com': [] })) {
    domains.set(name.toLowerCase(), {
      pbx: null,
      accounts: new Map(accounts.map((a) => [a.toLowerCase(), { prefs: new Map(), rules: [] }])),
    });
  }
  const log: string[] = [];
  const wire: string[] = [];
  let stores = 0;
  const sockets = new Set<Socket>();

  const exec = (line: string): Val | undefined => {
    const words = readWords(line);
    const verb = typeof words[0] === 'string' ? words[0].toUpperCase() : '';
    log.push(line.replace(/\[[A-Za-z0-9+/=\s]{40,}\]/g, '[…]'));
    const handler = COMMANDS[verb];
    if (!handler) throw new CliFail(500, `Unknown command ${verb}`);
    return handler(words.slice(1));
  };

  const domainOf = (name: Val | undefined): DomainState => {
    const d = typeof name === 'string' ? domains.get(name.toLowerCase()) : undefined;
    if (!d) throw new CliFail(512, 'Unknown domain name');
    return d;
  };
  const pbxOf = (d: DomainState): Pbx => {
    if (!d.pbx) throw new CliFail(512, 'The Domain has no own Real-Time Application Environment');
    return d.pbx;
  };
  const accountOf = (name: Val | undefined) => {
    if (typeof name !== 'string') throw new CliFail(501, 'Account name expected');
    const [local, domain] = name.includes('@') ? name.split('@') : [name, 'company.com'];
    const acct = domainOf(domain).accounts.get(local!.toLowerCase());
    if (!acct) throw new CliFail(513, 'Unknown user account');
    return acct;
  };
  const keyword = (w: Val | undefined, k: string) => typeof w === 'string' && w.toUpperCase() === k;
  const fileName = (w: Val | undefined): string => {
    if (
      typeof w !== 'string' ||
      w === '' ||
      w.split('/').length > 2 ||
      w.split('/').some((p) => p === '' || p.startsWith('.'))
    )
      throw new CliFail(501, 'Illegal file name');
    return w;
  };
  const folderExists = (pbx: Pbx, path: string) => !path.includes('/') || pbx.folders.has(path.split('/')[0]!);

  const COMMANDS: Record<string, (args: Val[]) => Val | undefined> = {
    CREATEDOMAINPBX([domain, kw, language]) {
      const d = domainOf(domain);
      if (kw === undefined) {
        if (d.pbx) throw new CliFail(501, 'The Environment already exists');
        d.pbx = { files: new Map(), folders: new Set() };
        return undefined;
      }
      if (!keyword(kw, 'FILE') || typeof language !== 'string') throw new CliFail(500, 'FILE language expected');
      const pbx = pbxOf(d);
      if (pbx.folders.has(language)) throw new CliFail(501, 'The national subset already exists');
      pbx.folders.add(fileName(language));
      return undefined;
    },
    LISTDOMAINPBXFILES([domain, kw, language]) {
      const pbx = pbxOf(domainOf(domain));
      if (kw !== undefined && !keyword(kw, 'FILE')) throw new CliFail(500, 'FILE expected');
      if (kw !== undefined && (typeof language !== 'string' || !pbx.folders.has(language)))
        throw new CliFail(512, 'Unknown national subset');
      const prefix = kw === undefined ? '' : `${language}/`;
      const out = new Map<string, Val>();
      for (const [path, f] of pbx.files) {
        if (prefix ? !path.startsWith(prefix) : path.includes('/')) continue;
        const attrs = new Map<string, Val>([['STModified', f.modified]]);
        if (options.sizes !== false) attrs.set('STSize', BigInt(f.data.length));
        out.set(path.slice(prefix.length), attrs);
      }
      return out;
    },
    READDOMAINPBXFILE([domain, kw, name]) {
      const pbx = pbxOf(domainOf(domain));
      if (!keyword(kw, 'FILE')) throw new CliFail(500, 'FILE expected');
      const f = pbx.files.get(fileName(name));
      if (!f) throw new CliFail(512, 'File is not found');
      return f.data;
    },
    STOREDOMAINPBXFILE([domain, kw, name, how, data]) {
      const pbx = pbxOf(domainOf(domain));
      if (!keyword(kw, 'FILE')) throw new CliFail(500, 'FILE expected');
      const path = fileName(name);
      if (!folderExists(pbx, path)) throw new CliFail(512, 'Unknown national subset');
      if (keyword(how, 'DELETE')) {
        pbx.files.delete(path);
        return undefined;
      }
      if (!keyword(how, 'DATA') || !Buffer.isBuffer(data)) throw new CliFail(500, 'DATA datablock expected');
      pbx.files.set(path, { data, modified: new Date(Math.floor(Date.now() / 1000) * 1000) });
      return undefined;
    },
    GETACCOUNTPREFS([account]) {
      return accountOf(account).prefs;
    },
    UPDATEACCOUNTPREFS([account, prefs]) {
      const acct = accountOf(account);
      if (!(prefs instanceof Map)) throw new CliFail(500, 'dictionary expected');
      for (const [k, v] of prefs) acct.prefs.set(k, v);
      return undefined;
    },
    GETACCOUNTSIGNALRULES([account]) {
      return accountOf(account).rules;
    },
    UPDATEACCOUNTSIGNALRULE([account, rule, name]) {
      const acct = accountOf(account);
      const drop = (n: Val | undefined) => {
        acct.rules = acct.rules.filter((r) => !(Array.isArray(r) && r[1] === n));
      };
      if (keyword(rule, 'DELETE')) return (drop(name), undefined);
      if (!Array.isArray(rule) || rule.length < 4 || typeof rule[1] !== 'string')
        throw new CliFail(500, 'Rule array expected');
      drop(rule[1]);
      acct.rules.push(rule);
      return undefined;
    },
  };

  // --- PWD ----------------------------------------------------------------------------------------
  const pwd: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    serve(socket);
  });

  function serve(raw: Socket): void {
    let socket: Socket = raw;
    const challenge = `<${randomBytes(4).readUInt32BE()}.${Date.now()}@cli.test>`;
    let user: string | null = null;
    let loggedIn = false;
    let inline = false;
    let buffer = '';
    const sendLine = (text: string) => {
      wire.push(`S: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`);
      socket.write(`${text}\r\n`);
    };
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      if (
        options.dropOnStore &&
        loggedIn &&
        /^STOREDOMAINPBXFILE/i.test(buffer) &&
        stores + 1 === options.dropOnStore
      ) {
        stores++;
        log.push('(connection dropped while a STOREDOMAINPBXFILE arrived)');
        socket.destroy();
        return;
      }
      for (let at = buffer.indexOf('\n'); at >= 0; at = buffer.indexOf('\n')) {
        const line = Buffer.from(buffer.slice(0, at).replace(/\r$/, ''), 'latin1').toString('utf8');
        buffer = buffer.slice(at + 1);
        if (/^STOREDOMAINPBXFILE/i.test(line)) stores++;
        if (handle(line) === 'upgrade') return;
      }
    };
    const handle = (line: string): 'upgrade' | undefined => {
      wire.push(`C: ${line.replace(/^(PASS|APOP \S+) .*/i, '$1 ****').slice(0, 200)}`);
      const [verb = '', ...rest] = line.split(' ');
      const arg = rest.join(' ');
      switch (verb.toUpperCase()) {
        case 'QUIT':
          sendLine('200 CommuniGate Pro PWD connection closed');
          socket.end();
          return;
        case 'STLS':
          if (!options.tls || socket instanceof TLSSocket) return (sendLine('500 Unknown command'), undefined);
          sendLine('200 begin TLS negotiation');
          socket.off('data', onData);
          socket = new TLSSocket(socket, { isServer: true, key: options.tls.key, cert: options.tls.cert });
          socket.on('data', onData);
          socket.on('error', () => {});
          return 'upgrade';
        case 'USER':
          user = arg;
          return (sendLine('300 please send the PASS'), undefined);
        case 'PASS':
          if (user !== null && users[user] === arg) {
            loggedIn = true;
            return (sendLine('200 login OK, proceed'), undefined);
          }
          return (sendLine('515 Incorrect password or account name'), undefined);
        case 'APOP': {
          const [name = '', digest = ''] = rest;
          const password = users[name];
          const want =
            password === undefined
              ? null
              : createHash('md5')
                  .update(challenge + password)
                  .digest('hex');
          if (want !== null && want === digest.toLowerCase()) {
            loggedIn = true;
            return (sendLine('200 login OK, proceed'), undefined);
          }
          return (sendLine('515 Incorrect password or account name'), undefined);
        }
      }
      if (!loggedIn) return (sendLine('500 Please authenticate first'), undefined);
      if (verb.toUpperCase() === 'INLINE') {
        if (options.noInline) return (sendLine('500 Unknown command INLINE'), undefined);
        inline = true;
        return (sendLine('200 OK'), undefined);
      }
      try {
        const out = exec(line);
        if (out === undefined) sendLine('200 OK');
        else if (inline) sendLine(`201 ${writeValue(out, false)}`);
        else {
          sendLine('200 data follow');
          for (const l of writeValue(out, true).split('\n')) sendLine(l);
        }
      } catch (err) {
        if (err instanceof CliFail) sendLine(`${err.code} ${err.message}`);
        else sendLine(`500 ${err instanceof Error ? err.message : String(err)}`);
      }
      return undefined;
    };
    socket.on('data', onData);
    sendLine(
      `200 CommuniGate Pro at cli.test PWD Server (test) ready${options.challenge === false ? '' : ` ${challenge}`}`,
    );
  }

  await new Promise<void>((resolve) => pwd.listen(0, '127.0.0.1', resolve));

  // --- HTTP /CLI/ ---------------------------------------------------------------------------------
  let http: HttpServer | null = null;
  if (options.http) {
    const handler = (req: IncomingMessage, res: ServerResponse) => void serveHttp(req, res);
    http = options.tls ? createHttpsServer(options.tls, handler) : createHttpServer(handler);
    await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve));
  }

  async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/CLI/') return void res.writeHead(404).end('Not Found');
    const auth = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    const [name, password] = auth ? Buffer.from(auth[1]!, 'base64').toString('utf8').split(/:(.*)/s) : [];
    if (!name || users[name] !== password)
      return void res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="CLI"' }).end('Authentication required');
    let command = url.searchParams.get('command');
    if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      command = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('command');
    }
    if (!command) return void res.writeHead(400).end('command parameter expected');
    try {
      const out = exec(command);
      res
        .writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end(out === undefined ? '' : writeValue(out, true));
    } catch (err) {
      res
        .writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end(err instanceof Error ? err.message : String(err));
    }
  }

  return {
    port: (pwd.address() as AddressInfo).port,
    httpPort: http ? (http.address() as AddressInfo).port : null,
    log,
    wire,
    domain(name) {
      const d = domains.get(name.toLowerCase());
      if (!d) throw new Error(`no domain ${name}`);
      return d;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => pwd.close(() => r()));
      if (http) {
        http.closeAllConnections();
        await new Promise<void>((r) => http!.close(() => r()));
      }
    },
  };
}

// --- the data format, this server's own reader and writer -----------------------------------------

/** The words of a command line: atoms, "strings", [datablocks], (arrays), {dictionaries}, #numbers. */
export function readWords(line: string): Val[] {
  let i = 0;
  const fail = (why: string): never => {
    throw new CliFail(500, `Syntax error: ${why} at ${i}`);
  };
  const ws = () => {
    while (line[i] === ' ' || line[i] === '\t') i++;
  };
  const value = (): Val => {
    ws();
    const c = line[i];
    if (c === '"') {
      let out = '';
      for (i++; line[i] !== '"'; i++) {
        if (i >= line.length) fail('unterminated string');
        if (line[i] !== '\\') {
          out += line[i];
          continue;
        }
        const e = line[++i];
        if (e === undefined) fail('bad escape');
        const map: Record<string, string> = { n: '\n', r: '\r', t: '\t', e: '\n', '"': '"', '\\': '\\' };
        if (/\d/.test(e!)) {
          out += String.fromCharCode(Number(line.slice(i, i + 3)));
          i += 2;
        } else if (map[e!] !== undefined) out += map[e!];
        else fail('bad escape');
      }
      i++;
      return out;
    }
    if (c === '[') {
      const end = line.indexOf(']', i);
      if (end < 0) fail('unterminated datablock');
      const data = Buffer.from(line.slice(i + 1, end), 'base64');
      i = end + 1;
      return data;
    }
    if (c === '(') {
      i++;
      const arr: Val[] = [];
      ws();
      if (line[i] === ')') return (i++, arr);
      for (;;) {
        arr.push(value());
        ws();
        if (line[i] === ',') i++;
        else if (line[i] === ')') return (i++, arr);
        else fail("',' or ')' expected");
      }
    }
    if (c === '{') {
      i++;
      const dict = new Map<string, Val>();
      for (;;) {
        ws();
        if (line[i] === '}') return (i++, dict);
        const k = value();
        if (typeof k !== 'string') fail('key expected');
        ws();
        if (line[i++] !== '=') fail("'=' expected");
        const v = value();
        ws();
        if (line[i++] !== ';') fail("';' expected");
        dict.set(k as string, v);
      }
    }
    if (c === '#') {
      if (line.startsWith('#NULL#', i)) return ((i += 6), null);
      const m = /^#(-?\d+)/.exec(line.slice(i));
      if (!m) fail('bad number');
      i += m![0].length;
      return BigInt(m![1]!);
    }
    const m = /^[A-Za-z0-9._@\-!%:]+/.exec(line.slice(i));
    if (!m) fail(`unexpected '${c}'`);
    i += m![0].length;
    return m![0];
  };
  const words: Val[] = [];
  for (ws(); i < line.length; ws()) words.push(value());
  return words;
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** multiline: dictionaries one key a line, long datablocks in them split into parts on lines of their own. */
export function writeValue(v: Val, multiline: boolean, indent = ''): string {
  if (v === null) return '#NULL#';
  if (typeof v === 'bigint') return `#${v}`;
  if (typeof v === 'string')
    return /^[A-Za-z0-9]+$/.test(v)
      ? v
      : `"${v
          .replace(/[\\"]/g, (c) => `\\${c}`)
          .replace(/\n/g, '\\e')
          .replace(/\r/g, '\\r')
          .replace(/\t/g, '\\t')}"`;
  if (Buffer.isBuffer(v)) {
    const b64 = v.toString('base64');
    // a value on its own stays on one line; inside a dictionary a long one comes in parts
    if (!multiline || indent === '' || b64.length <= 76) return `[${b64}]`;
    return (b64.match(/.{1,76}/g) ?? []).map((part) => `[${part}]`).join(`\n${indent}  `);
  }
  if (v instanceof Date)
    return `#T${p2(v.getUTCDate())}-${p2(v.getUTCMonth() + 1)}-${v.getUTCFullYear()}_${p2(v.getUTCHours())}:${p2(v.getUTCMinutes())}:${p2(v.getUTCSeconds())}`;
  if (Array.isArray(v)) return `(${v.map((e) => writeValue(e, false)).join(', ')})`;
  const entries = [...v].map(([k, e]) => `${writeValue(k, false)} = ${writeValue(e, multiline, `${indent}  `)};`);
  if (!multiline) return `{${entries.join('')}}`;
  return `{\n${entries.map((e) => `${indent}  ${e}`).join('\n')}\n${indent}}`;
}
