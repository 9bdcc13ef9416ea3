// `ivr-studio deploy ENV --server HOST[:PORT] --domain DOMAIN --user ADMIN`: the environment onto a
// CommuniGate server through its CLI. The password comes from IVR_STUDIO_CG_PASSWORD, a file, or
// the terminal (not echoed) — never from the command line, where ps and the shell history show it.
import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import {
  DeployRunError,
  runDeploy,
  type AccountChange,
  type DeployEvent,
  type DeployRequest,
  type DeployResult,
  type LocalEnvironment,
  type TranscriptLine,
} from '../../deploy';
import { CliError, describeFsError } from '../io';
import type { CliOutput } from '../main';
import { askHidden, askYesNo, type TtyInput, type TtyOutput } from '../prompt';

export const PASSWORD_ENV = 'IVR_STUDIO_CG_PASSWORD';

interface DeployOpts {
  server: string;
  domain: string;
  user: string;
  password?: string;
  passwordFile?: string;
  http?: boolean;
  tls: string;
  ca?: string[];
  allowPlainPassword?: boolean;
  dryRun?: boolean;
  accounts?: boolean;
  yes?: boolean;
  verbose?: boolean;
  timeout: string;
}

/** Where questions are asked: the real terminal, or a test's stand-in. */
export interface Terminal {
  input: TtyInput;
  output: TtyOutput;
}

const TLS_MODES = ['auto', 'require', 'implicit', 'off'] as const;

export function registerDeployCommand(
  program: Command,
  io: CliOutput,
  terminal: Terminal = { input: process.stdin, output: process.stderr },
): void {
  program
    .command('deploy')
    .description("upload an environment to a CommuniGate server's domain PBX (only the files that changed)")
    .argument(
      '<ENV>',
      'a flow (flow.json or its folder), an environment folder of flows and prompts, or an exported .tar',
    )
    .requiredOption(
      '--server <host[:port]>',
      'the CommuniGate server (PWD port 106; HTTPS 9010 / HTTP 8010 with --http)',
    )
    .requiredOption('--domain <domain>', 'the domain whose PBX environment receives the files')
    .requiredOption('--user <admin>', 'an administrator of that domain (with the CanModifyPBXApps right)')
    .option('--password-file <file>', `read the password from this file (or set ${PASSWORD_ENV}; else it is asked for)`)
    .option('--http', "use WebAdmin's /CLI/ form instead of the PWD protocol")
    .option('--tls <mode>', 'auto (STLS when offered), require, implicit (a TLS listener) or off', 'auto')
    .option('--ca <file...>', "trust this CA certificate (PEM) for the server's TLS")
    .option('--allow-plain-password', 'allow the password in clear text when there is neither TLS nor a secure login')
    .option('--dry-run', 'connect and read, store nothing: print every command the deploy would send')
    .option(
      '--accounts',
      "also apply the environment's account settings (language, divert rules) after showing the changes",
    )
    .option('-y, --yes', 'apply the account changes without asking')
    .option('--timeout <seconds>', 'how long to wait for each answer', '60')
    .option('--verbose', 'print the CLI conversation')
    .addOption(new Option('--password <password>').hideHelp())
    .action(async (env: string, opts: DeployOpts) => {
      await deploy(env, opts, io, terminal);
    });
}

async function deploy(env: string, opts: DeployOpts, io: CliOutput, terminal: Terminal): Promise<void> {
  if (opts.password !== undefined)
    throw new CliError(
      `--password: a password on the command line shows in ps and in the shell history; set ${PASSWORD_ENV}, use --password-file FILE, or type it when asked`,
    );
  const tls = opts.tls as DeployRequest['tls'];
  if (!TLS_MODES.includes(tls as (typeof TLS_MODES)[number]))
    throw new CliError(`--tls '${opts.tls}': use ${TLS_MODES.join(', ')}`);
  const timeout = Number(opts.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new CliError(`--timeout '${opts.timeout}': expected seconds`);
  if (opts.accounts && !opts.dryRun && !opts.yes && !terminal.input.isTTY)
    throw new CliError(
      '--accounts changes accounts after a question, but stdin is not a terminal: add --yes to apply them',
    );
  const ca = opts.ca ? await Promise.all(opts.ca.map((f) => readText(f, '--ca'))) : undefined;
  const password = await passwordFor(opts, terminal);
  const show = (line: TranscriptLine) => io.out(`${line.from === 'client' ? 'C' : 'S'}: ${clipLine(line.text)}\n`);
  const conversation = opts.dryRun || opts.verbose;

  try {
    const result = await runDeploy({
      env,
      server: opts.server,
      domain: opts.domain,
      user: opts.user,
      password,
      via: opts.http ? 'http' : 'pwd',
      tls,
      timeoutMs: timeout * 1000,
      ...(ca ? { ca } : {}),
      ...(opts.allowPlainPassword ? { allowPlainPassword: true } : {}),
      dryRun: opts.dryRun ?? false,
      accounts: opts.accounts ?? false,
      confirmAccounts: (changes) => confirm(changes, opts, terminal),
      onEnvironment: (e) => io.out(`${describeEnvironment(e, opts.domain)}\n`),
      onEvent: (e) => {
        const text = formatEvent(e, conversation ?? false);
        if (text) io.out(`${text}\n`);
      },
      ...(conversation ? { onLine: show } : {}),
    });
    io.out(`${summary(result)}\n`);
  } catch (err) {
    if (err instanceof DeployRunError) throw new CliError(err.message);
    throw err;
  }
}

/** A long listing stays readable: its start and how much more there was. */
function clipLine(text: string): string {
  const max = 240;
  return text.length <= max
    ? text
    : `${text.slice(0, max)}… (${(text.length - max).toLocaleString('en')} more characters)`;
}

async function passwordFor(opts: DeployOpts, terminal: Terminal): Promise<string> {
  if (opts.passwordFile !== undefined) {
    const text = (await readText(opts.passwordFile, '--password-file')).replace(/\r?\n$/, '');
    if (text === '') throw new CliError(`--password-file ${opts.passwordFile}: the file is empty`);
    return text;
  }
  const fromEnv = process.env[PASSWORD_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!terminal.input.isTTY)
    throw new CliError(`no password: set ${PASSWORD_ENV}, use --password-file FILE, or run in a terminal to type it`);
  return askHidden(`Password for ${opts.user} on ${opts.server}: `, terminal.input, terminal.output);
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`${what} ${file}: ${describeFsError(err)}`);
  }
}

async function confirm(changes: AccountChange[], opts: DeployOpts, terminal: Terminal): Promise<boolean> {
  if (opts.yes) return true;
  const n = changes.length;
  return askYesNo(`Apply these changes to ${n} account${n === 1 ? '' : 's'}? [y/N] `, terminal.input, terminal.output);
}

export function describeEnvironment(env: LocalEnvironment, domain: string): string {
  const programs = env.programs.length ? `${env.programs.join(', ')}` : 'no program';
  const languages = env.languages.length ? `, languages: ${env.languages.join(', ')}` : '';
  const warnings = env.warnings.map((w) => `\nwarning: ${w}`).join('');
  return `${env.root}: ${programs}; ${env.files.length} files${languages} → ${domain}${warnings}`;
}

/** One line a progress event is worth (or none). */
export function formatEvent(e: DeployEvent, conversation: boolean): string | null {
  switch (e.type) {
    case 'step':
      return conversation ? `# ${e.text}` : null;
    case 'not sent':
      return `C: ${e.command}   (dry run: not sent)`;
    case 'plan': {
      const unchanged = e.unchanged.length ? `, ${e.unchanged.length} unchanged` : '';
      const only = e.remoteOnly.length ? `, ${e.remoteOnly.length} only on the server (left alone)` : '';
      return `${e.store.length} to store${unchanged}${only}`;
    }
    case 'file':
      // a dry run's "C: STOREDOMAINPBXFILE … (not sent)" line already says it
      if (e.state !== 'stored') return null;
      return `[${e.index}/${e.total}] stored ${e.path} (${e.bytes.toLocaleString('en')} bytes)`;
    case 'accounts':
      if (e.changes.length === 0) return 'accounts: nothing to change';
      return [
        'account changes:',
        ...e.changes.flatMap((c) => [`  ${c.account}`, ...c.lines.map((l) => `    ${l}`)]),
      ].join('\n');
  }
}

export function summary(r: DeployResult & { server: string }): string {
  const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;
  const parts: string[] = [];
  if (r.created.length) parts.push(`${r.dryRun ? 'would create' : 'created'} ${r.created.join(' and ')}`);
  parts.push(`${r.dryRun ? 'would store' : 'stored'} ${files(r.dryRun ? r.planned.length : r.stored.length)}`);
  parts.push(`${r.unchanged.length} unchanged`);
  if (r.accountsDeclined) parts.push('account changes not applied');
  else if (r.accounts.length)
    parts.push(
      `${r.dryRun ? 'would change' : 'changed'} ${r.accounts.length} account${r.accounts.length === 1 ? '' : 's'}`,
    );
  return `${r.server}: ${r.dryRun ? 'dry run, nothing changed: ' : ''}${parts.join(', ')}`;
}
