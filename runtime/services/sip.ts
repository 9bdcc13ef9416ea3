// A SIP service: the programs of a file or an environment folder, a mailer and a SIP server, started
// together and closed together. What `ivr-studio run` and the desktop's Call ▸ Start SIP Runtime share;
// they differ only in how they report (lines on a terminal, a dialog).
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadProgram, type Program } from '../host';
import { createMailer, parseRelay, type Mailer } from '../mail';
import { startSipServer, type SipServer, type SipServerOptions, type Transport } from '../sip';

/** A reason the service cannot start, in one line for the user (the CLI prints it as its error). */
export class ServiceError extends Error {}

export interface SipServiceOptions {
  /** A flow.json, a CG/PL program (.sppr), or an environment folder of them. */
  file: string;
  /** Where e-mails are kept (the outbox folder). */
  outboxDir: string;
  /** A relay URL; default: the embedded outbox server (nothing leaves the machine). */
  smtp?: string;
  host?: string;
  /** Default 5070; 0 = a free port. */
  port?: number;
  transports?: Transport[];
  maxCalls?: number;
  target?: 'cgpl' | 'js';
  mediaWorkers?: number;
  /** The PBX environment folder every program's prompts and pbx.json come from (ivr-studio run --environment). */
  environmentDir?: string;
  /** Everything else the SIP server takes (addresses, admission, registrar, clock…). */
  server?: Partial<Omit<SipServerOptions, 'programs' | 'mailer' | 'onCall' | 'onCallEnd' | 'onError'>>;
  /** Each load error and warning of the programs, one line each. */
  onProblem?: (line: string) => void;
  onError?: SipServerOptions['onError'];
  onCall?: SipServerOptions['onCall'];
  onCallEnd?: SipServerOptions['onCallEnd'];
}

export interface SipService {
  readonly server: SipServer;
  readonly mailer: Mailer;
  readonly programs: readonly Program[];
  /** host:port that phones call. */
  readonly where: string;
  /** What to tell the user: where SIP listens, and each URI to call (programs, then accounts). */
  readonly banner: readonly string[];
  close(): Promise<void>;
}

/**
 * @example
 *   const sip = await startSipService({ file: 'samples/callback/flow.json', outboxDir: '.outbox', port: 0 });
 *   console.log(sip.banner.join('\n')); // SIP on udp+tcp 127.0.0.1:40211; … / call sip:callback@127.0.0.1:40211
 *   await sip.close();
 */
export async function startSipService(o: SipServiceOptions): Promise<SipService> {
  const host = o.host ?? '127.0.0.1';
  const target = o.target ?? 'cgpl';
  if (o.smtp !== undefined) {
    const relay = parseRelay(o.smtp);
    if (!relay.ok) throw new ServiceError(`--smtp: ${relay.error}`);
  }
  const programs = await loadPrograms(o.file, o.onProblem ?? (() => {}), o.environmentDir);
  if (target === 'js' && programs.some((p) => !p.js))
    throw new ServiceError('--target js needs flows; a CG/PL program was given');
  let mailer: Mailer;
  try {
    mailer = await createMailer({
      outboxDir: resolve(o.outboxDir),
      ...(o.smtp !== undefined ? { relay: o.smtp } : {}),
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new ServiceError(message.startsWith('outbox ') ? `--outbox: ${message}` : `--smtp: ${message}`);
  }
  let server: SipServer;
  try {
    server = await startSipServer({
      programs,
      host,
      port: o.port ?? 5070,
      transports: o.transports ?? ['udp', 'tcp'],
      maxCalls: o.maxCalls ?? 100,
      mailer,
      target,
      ...(o.mediaWorkers !== undefined ? { mediaWorkers: o.mediaWorkers } : {}),
      ...o.server,
      ...(o.onError ? { onError: o.onError } : {}),
      ...(o.onCall ? { onCall: o.onCall } : {}),
      ...(o.onCallEnd ? { onCallEnd: o.onCallEnd } : {}),
    });
  } catch (err) {
    await mailer.close();
    throw new ServiceError(err instanceof Error ? err.message : String(err));
  }
  const where = `${host.includes(':') ? `[${host}]` : host}:${server.port}`;
  return {
    server,
    mailer,
    programs,
    where,
    banner: banner(server, mailer, programs, where, o.transports ?? ['udp', 'tcp']),
    async close() {
      await server.close();
      await mailer.close();
    },
  };
}

function banner(server: SipServer, mailer: Mailer, programs: Program[], where: string, transports: Transport[]) {
  const media =
    server.mediaWorkers > 0
      ? `RTP on ${server.mediaWorkers} worker thread${server.mediaWorkers > 1 ? 's' : ''}`
      : 'RTP on the SIP thread';
  const lines = [`SIP on ${transports.join('+')} ${where}; ${media}; e-mail: ${mailer.relayDescription}`];
  for (const p of programs) lines.push(`  call sip:${p.name}@${where}   (${p.file})`);
  const accounts = programs
    .flatMap((p) => p.environment.directory?.pbx.accounts ?? [])
    .filter((a, i, all) => all.findIndex((b) => b.name === a.name) === i);
  for (const a of accounts)
    lines.push(
      `  call sip:${a.name}@${where}   (account: ${a.rules.map((r) => `${r.when} → ${r.to}`).join(', ') || 'no rules'})`,
    );
  return lines;
}

/** The programs of a file, or of an environment folder; names must be unique. */
export async function loadPrograms(
  file: string,
  onProblem: (line: string) => void,
  environment?: string,
): Promise<Program[]> {
  const info = await stat(file).catch(() => null);
  if (!info) throw new ServiceError(`${file}: no such file or folder`);
  if (environment !== undefined && !(await stat(environment).catch(() => null))?.isDirectory())
    throw new ServiceError(`--environment: ${environment} is not a folder`);
  const files = info.isDirectory() ? await programFiles(file) : [file];
  if (files.length === 0) throw new ServiceError(`${file}: no .sppr or flow.json in this folder`);
  const programs: Program[] = [];
  for (const f of files) {
    const environmentDir = environment ?? (info.isDirectory() && f.endsWith('.sppr') ? file : undefined);
    const { program, errors } = await loadProgram(f, environmentDir !== undefined ? { environmentDir } : {});
    if (!program) {
      for (const e of errors) onProblem(e);
      throw new ServiceError(`${f}: cannot be run`);
    }
    for (const w of program.warnings) onProblem(w);
    if (programs.some((p) => p.name === program.name))
      throw new ServiceError(`${f}: a second program named '${program.name}'`);
    programs.push(program);
  }
  return programs;
}

/** An environment folder: its *.sppr and flow.json files, and flow.json one folder down. */
async function programFiles(dir: string): Promise<string[]> {
  const isFile = (path: string) =>
    stat(path).then(
      (s) => s.isFile(),
      () => false,
    );
  const found: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isFile() && (entry.name.endsWith('.sppr') || entry.name === 'flow.json')) found.push(path);
    if (entry.isDirectory() && (await isFile(join(path, 'flow.json')))) found.push(join(path, 'flow.json'));
  }
  return found;
}
