// What a deploy uploads, read from ENV: a flow (flow.json, or its folder) compiled the way
// `ivr-studio export` lays it out; an environment folder (programs, prompts, language folders —
// and flows one folder down, like `ivr-studio run` takes them); or an exported .tar. The accounts
// come from the flows' environment, read by the same rule the SIP runtime uses (pbxOf).
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { Parser } from 'tar';
import { checkCgpl, parseCgpl, formatDiagnostic } from '../../compiler/cgpl';
import { environmentFiles, ExportError, safeSegment } from '../../compiler/export/files';
import type { PbxEnvironment } from '../../compiler/flow/schema';
import { loadProgram, type Program } from '../host';
import { pbxOf } from '../sip/routing';

export interface LocalFile {
  /** Inside the environment: "callback.sppr", "russian/CallbackBusy.wav". */
  path: string;
  bytes: Uint8Array;
  sha256: string;
  /** Where it came from, for messages: a file, or "compiled from …/flow.json". */
  source: string;
}

export interface LocalEnvironment {
  /** ENV as given. */
  root: string;
  /** Root prompts, language folders' prompts, modules, programs; each group sorted by name. */
  files: LocalFile[];
  /** The language folders the files use. */
  languages: string[];
  /** The programs' names (callback, autosecretary). */
  programs: string[];
  /** The flows' PBX accounts; null when ENV has no flow (a .tar, or programs only). */
  pbx: PbxEnvironment | null;
  warnings: string[];
}

/** ENV cannot be deployed; the message is one line that says where. */
export class EnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvironmentError';
  }
}

/** Files a PBX environment holds; anything else in a folder (flow.json, scenarios, notes) stays home. */
const ENV_FILE = /\.(sppr|sppi|wav)$/i;

/**
 * @example
 *   const env = await readEnvironment('samples');   // callback + autosecretary, prompts, russian/
 *   env.files.map((f) => f.path)                      // ['autosecretary.sppr', 'callback.sppr', 'CallbackBusy.wav', …]
 */
export async function readEnvironment(root: string): Promise<LocalEnvironment> {
  const info = await stat(root).catch(() => null);
  if (!info) throw new EnvironmentError(`${root}: no such file or folder`);
  const collected = new Collector(root);
  if (info.isFile()) {
    if (root.toLowerCase().endsWith('.tar')) await collected.tar(root);
    else if (/\.(json|sppr)$/i.test(root)) await collected.program(root);
    else throw new EnvironmentError(`${root}: not a flow (.json), a program (.sppr), an environment .tar or a folder`);
  } else if (info.isDirectory()) {
    await collected.folder(root);
  } else {
    throw new EnvironmentError(`${root}: not a regular file or folder`);
  }
  return collected.result();
}

class Collector {
  private readonly files = new Map<string, LocalFile>();
  private readonly programs: Program[] = [];
  private readonly names: string[] = [];
  private readonly warnings: string[] = [];

  constructor(private readonly root: string) {}

  result(): LocalEnvironment {
    if (this.files.size === 0) throw new EnvironmentError(`${this.root}: nothing to deploy (no flow, .sppr or .wav)`);
    const files = [...this.files.values()].sort((a, b) => rank(a.path) - rank(b.path) || a.path.localeCompare(b.path));
    const languages = [...new Set(files.filter((f) => f.path.includes('/')).map((f) => f.path.split('/')[0]!))];
    const withAccounts = this.programs.some((p) => p.flow);
    return {
      root: this.root,
      files,
      languages: languages.sort(),
      programs: [...this.names].sort(),
      pbx: withAccounts ? pbxOf(this.programs) : null,
      warnings: this.warnings,
    };
  }

  /** A flow folder is one flow; any other folder is an environment. */
  async folder(dir: string): Promise<void> {
    if (await isFile(join(dir, 'flow.json'))) return this.program(join(dir, 'flow.json'));
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const path = join(dir, e.name);
      if (e.isFile() && /\.sppr$/i.test(e.name)) await this.program(path);
      else if (e.isFile() && ENV_FILE.test(e.name)) await this.add(e.name, await readFile(path), path);
      else if (e.isDirectory() && (await isFile(join(path, 'flow.json')))) await this.program(join(path, 'flow.json'));
      else if (e.isDirectory()) await this.languageFolder(e.name, path);
    }
  }

  private async languageFolder(language: string, dir: string): Promise<void> {
    for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isFile() && !e.name.startsWith('.') && ENV_FILE.test(e.name))
        await this.add(`${language}/${e.name}`, await readFile(join(dir, e.name)), join(dir, e.name));
    }
  }

  /** A flow compiled with its prompts, or a .sppr as it is (it must parse). */
  async program(file: string): Promise<void> {
    const { program, errors } = await loadProgram(file);
    if (!program) throw new EnvironmentError(`${errors[0] ?? `${file}: cannot be loaded`}${more(errors.length - 1)}`);
    this.warnings.push(...program.warnings);
    if (this.names.includes(program.name))
      throw new EnvironmentError(`${file}: a second program named '${program.name}'`);
    this.programs.push(program);
    this.names.push(program.name);
    if (!program.flow) return this.add(basename(file), await readFile(file), file);
    let listed: Awaited<ReturnType<typeof environmentFiles>>;
    try {
      listed = await environmentFiles(program.flow, join(file, '..'));
    } catch (err) {
      if (err instanceof ExportError)
        throw new EnvironmentError(`${file}: ${err.problems[0]}${more(err.problems.length - 1)}`);
      throw err;
    }
    for (const f of listed.files) {
      if ('text' in f) await this.add(f.path, Buffer.from(f.text, 'utf8'), `compiled from ${file}`);
      else await this.add(f.path, await readFile(f.from), f.from);
    }
  }

  /** An exported environment: files at its root and one language folder down. */
  async tar(file: string): Promise<void> {
    const entries: { path: string; bytes: Buffer }[] = [];
    const problems: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const parser = new Parser({
        strict: true,
        onReadEntry: (e) => {
          const chunks: Buffer[] = [];
          e.on('data', (c: Buffer) => chunks.push(c));
          e.on('end', () => {
            const path = e.path.replace(/^\.\//, '').replace(/\/$/, '');
            if (e.type === 'File') entries.push({ path, bytes: Buffer.concat(chunks) });
            else if (e.type !== 'Directory') problems.push(`${path}: a ${e.type} entry`);
          });
        },
      });
      parser.on('error', (err: Error) => reject(new EnvironmentError(`${file}: not a readable .tar (${err.message})`)));
      parser.on('finish', () => resolve());
      readFile(file).then(
        (bytes) => parser.end(bytes),
        (err: Error) => reject(new EnvironmentError(`${file}: cannot read (${err.message})`)),
      );
    });
    if (problems.length > 0)
      throw new EnvironmentError(`${file}: ${problems[0]}: only files and folders can be deployed`);
    for (const e of entries) {
      const parts = e.path.split('/');
      if (parts.length > 2 || !parts.every(safeSegment))
        throw new EnvironmentError(
          `${file}: ${e.path}: a PBX environment has files and language folders one level deep`,
        );
      if (/\.sppr$/i.test(e.path) && !e.path.includes('/')) this.checkProgram(`${file}:${e.path}`, e.bytes);
      if (/\.sppr$/i.test(e.path) && !e.path.includes('/')) this.names.push(basename(e.path, '.sppr'));
      await this.add(e.path, e.bytes, `${file}:${e.path}`);
    }
  }

  /** Refuses a program the server would not compile: syntax, then the checker (built-ins, arity, names). */
  private checkProgram(where: string, bytes: Buffer): void {
    const parsed = parseCgpl(bytes.toString('utf8'), where);
    const checked = parsed.program ? checkCgpl(parsed.program, { file: where, modules: 'unresolved' }).diagnostics : [];
    const errors = [...parsed.diagnostics, ...checked].filter((d) => d.severity === 'error');
    if (errors.length > 0)
      throw new EnvironmentError(`${formatDiagnostic(errors[0]!, where)}${more(errors.length - 1)}`);
  }

  private async add(path: string, bytes: Uint8Array, source: string): Promise<void> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const before = this.files.get(path);
    if (before && before.sha256 !== sha256)
      throw new EnvironmentError(
        `${path} comes from both ${shown(before.source, this.root)} and ${shown(source, this.root)}, with different contents`,
      );
    if (!before) this.files.set(path, { path, bytes, sha256, source });
  }
}

/** Prompts first, then modules, then programs: a program is never there before what it plays. */
const rank = (path: string) => (/\.sppr$/i.test(path) ? 3 : /\.sppi$/i.test(path) ? 2 : path.includes('/') ? 1 : 0);

const more = (n: number) => (n > 0 ? ` (and ${n} more)` : '');
const shown = (source: string, root: string) =>
  source.startsWith('compiled from ') ? source : relative(root, source) || source;

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}
