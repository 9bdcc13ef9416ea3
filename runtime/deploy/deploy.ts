// deployEnvironment: brings a domain's PBX environment on a CommuniGate server up to the local one.
// Lists what is there (creating the environment and its language folders when missing), stores
// only the files that differ, and — when asked — applies the environment's account settings after
// showing what changes. A dry run sends only the commands that read; every command that would
// change the server is reported instead. The first refused command stops the deploy, and the error
// says what the server answered and which files were already stored.
import { createHash } from 'node:crypto';
import { accountChange, wantedAccounts, type AccountChange } from './accounts';
import type { CliValue } from './cliData';
import {
  createDomainPbx,
  getAccountPrefs,
  getAccountSignalRules,
  listDomainPbxFiles,
  readDomainPbxFile,
  storeDomainPbxFile,
  type Command,
} from './commands';
import { CliCommandError, CliConnectionError, type CliConnection } from './connection';
import type { LocalEnvironment, LocalFile } from './localEnv';
import { parseListing, planFiles, type RemoteListing, type StoreReason } from './plan';
import { maskCommand } from './protocol';

export interface DeployOptions {
  env: LocalEnvironment;
  domain: string;
  cli: CliConnection;
  dryRun?: boolean;
  /** Apply the environment's account settings (language, divert rules). */
  accounts?: boolean;
  /** Shown the account changes before any is made; false leaves the accounts as they are. */
  confirmAccounts?: (changes: AccountChange[]) => Promise<boolean>;
  onEvent?: (event: DeployEvent) => void;
  signal?: AbortSignal;
}

export type DeployEvent =
  | { type: 'step'; text: string }
  | {
      type: 'plan';
      store: { path: string; why: StoreReason; bytes: number }[];
      unchanged: string[];
      remoteOnly: string[];
    }
  | {
      type: 'file';
      path: string;
      index: number;
      total: number;
      bytes: number;
      state: 'storing' | 'stored' | 'not sent';
    }
  | { type: 'accounts'; changes: { account: string; lines: string[] }[] }
  /** A dry run's command that would change the server. */
  | { type: 'not sent'; command: string };

export interface DeployResult {
  dryRun: boolean;
  /** "the environment", "russian" — created (or, in a dry run, to be created). */
  created: string[];
  /** The files that differed: stored, or in a dry run to be stored. */
  planned: string[];
  stored: string[];
  unchanged: string[];
  /** Files on the server that the local environment does not have (left alone). */
  remoteOnly: string[];
  /** Account changes made (or to be made); empty when none were asked for or needed. */
  accounts: { account: string; lines: string[] }[];
  /** Whether the account changes were declined at the question. */
  accountsDeclined: boolean;
}

/** The deploy stopped; `stored` lists what was stored before it did. */
export class DeployError extends Error {
  constructor(
    message: string,
    readonly stored: string[],
  ) {
    super(message);
    this.name = 'DeployError';
  }
}

/**
 * @example
 *   const cli = await connectPwd({ host, port: 106, user: 'postmaster', password, tls: 'auto' });
 *   const result = await deployEnvironment({ env: await readEnvironment('samples'), domain: 'company.com', cli });
 */
export async function deployEnvironment(options: DeployOptions): Promise<DeployResult> {
  const { env, domain, cli } = options;
  const dryRun = options.dryRun ?? false;
  const emit = options.onEvent ?? (() => {});
  const result: DeployResult = {
    dryRun,
    created: [],
    planned: [],
    stored: [],
    unchanged: [],
    remoteOnly: [],
    accounts: [],
    accountsDeclined: false,
  };
  const stop = (message: string): never => {
    const tail = result.stored.length > 0 ? `; already stored: ${result.stored.join(', ')}` : '; nothing was stored';
    throw new DeployError(`${message}${dryRun ? '' : tail}`, [...result.stored]);
  };
  const run = async (command: Command, doing: string): Promise<CliValue | undefined> => {
    if (options.signal?.aborted) stop('cancelled');
    if (dryRun && command.writes) {
      emit({ type: 'not sent', command: maskCommand(command.line) });
      return undefined;
    }
    try {
      return await cli.command(command.line, { data: command.data });
    } catch (err) {
      if (err instanceof CliCommandError) return stop(`${doing}: ${cli.description} answered ${err.answer}`);
      if (err instanceof CliConnectionError) return stop(`${err.message} (while ${doing})`);
      throw err;
    }
  };
  /** A listing; a refusal means the folder (or the environment) is not there yet. */
  const list = async (language?: string): Promise<CliValue | undefined | 'missing'> => {
    const command = listDomainPbxFiles(domain, language);
    try {
      return await cli.command(command.line, { data: true });
    } catch (err) {
      if (err instanceof CliCommandError) return 'missing';
      if (err instanceof CliConnectionError) return stop(`${err.message} (while listing the environment)`);
      throw err;
    }
  };

  if (options.accounts && (!env.pbx || env.pbx.accounts.length === 0))
    throw new DeployError(`${env.root}: no accounts to apply (no flow in it declares any)`, []);

  // 1. The environment and its language folders
  emit({ type: 'step', text: `listing the PBX environment of ${domain}` });
  const remote: RemoteListing = new Map();
  let root = await list();
  if (root === 'missing') {
    emit({ type: 'step', text: `creating the PBX environment of ${domain}` });
    await run(createDomainPbx(domain), `creating the PBX environment of ${domain}`);
    result.created.push('the environment');
    root = dryRun ? new Map() : await list();
    if (root === 'missing') stop(`${domain}: the environment was created but cannot be listed`);
  }
  merge(remote, root, null, stop);
  for (const language of env.languages) {
    let folder = await list(language);
    if (folder === 'missing') {
      emit({ type: 'step', text: `creating the ${language} folder` });
      await run(createDomainPbx(domain, language), `creating the ${language} folder`);
      result.created.push(`the ${language} folder`);
      folder = dryRun ? new Map() : await list(language);
      if (folder === 'missing') stop(`${domain}: the ${language} folder was created but cannot be listed`);
    }
    merge(remote, folder, language, stop);
  }

  // 2. What differs: by size, then (same size) by contents
  const plan = planFiles(env.files, remote);
  const store = new Map<string, { file: LocalFile; why: StoreReason }>(plan.store.map((s) => [s.file.path, s]));
  for (const file of plan.verify) {
    const theirs = await run(readDomainPbxFile(domain, file.path), `reading ${file.path} to compare it`);
    const same = theirs instanceof Uint8Array && sha256(theirs) === file.sha256;
    if (same) result.unchanged.push(file.path);
    else store.set(file.path, { file, why: 'content' });
  }
  const toStore = env.files.filter((f) => store.has(f.path)).map((f) => store.get(f.path)!);
  result.remoteOnly = plan.remoteOnly;
  result.planned = toStore.map((s) => s.file.path);
  emit({
    type: 'plan',
    store: toStore.map((s) => ({ path: s.file.path, why: s.why, bytes: s.file.bytes.length })),
    unchanged: result.unchanged,
    remoteOnly: result.remoteOnly,
  });

  // 3. Store, one file at a time
  let index = 0;
  for (const { file } of toStore) {
    index++;
    const progress = { type: 'file', path: file.path, index, total: toStore.length, bytes: file.bytes.length } as const;
    if (!dryRun) emit({ ...progress, state: 'storing' });
    await run(storeDomainPbxFile(domain, file.path, file.bytes), `storing ${file.path}`);
    if (dryRun) emit({ ...progress, state: 'not sent' });
    else {
      result.stored.push(file.path);
      emit({ ...progress, state: 'stored' });
    }
  }

  // 4. Accounts
  if (options.accounts) await applyAccounts();
  return result;

  async function applyAccounts(): Promise<void> {
    emit({ type: 'step', text: 'reading the accounts' });
    const changes: AccountChange[] = [];
    for (const wanted of wantedAccounts(env.pbx!, domain)) {
      const prefs = await run(getAccountPrefs(wanted.account), `reading the preferences of ${wanted.account}`);
      const rules = await run(getAccountSignalRules(wanted.account), `reading the rules of ${wanted.account}`);
      const change = accountChange(wanted, prefs, rules);
      if (change.commands.length > 0) changes.push(change);
    }
    result.accounts = changes.map((c) => ({ account: c.account, lines: c.lines }));
    emit({ type: 'accounts', changes: result.accounts });
    if (changes.length === 0) return;
    if (!dryRun && options.confirmAccounts && !(await options.confirmAccounts(changes))) {
      result.accountsDeclined = true;
      return;
    }
    for (const change of changes) {
      for (const command of change.commands) await run(command, `changing ${change.account}`);
    }
  }
}

function merge(
  into: RemoteListing,
  answer: CliValue | undefined,
  language: string | null,
  stop: (message: string) => never,
): void {
  try {
    for (const [path, file] of parseListing(answer, language)) into.set(path, file);
  } catch (err) {
    stop(`LISTDOMAINPBXFILES${language ? ` (${language})` : ''}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
