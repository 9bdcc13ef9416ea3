// The CLI commands the deploy sends, spelled as CommuniGate's CLI documentation spells them
// ("Real-Time Application Administration" and "Account Administration"). Every parameter goes
// through the data format's quoting, so names with dots, spaces or non-Latin letters are safe.
import { encodeCli, quoteString, type CliDict, type CliValue } from './cliData';

/** A command line and whether it answers with data. */
export interface Command {
  line: string;
  data: boolean;
  /** Changes the server (a dry run prints these instead of sending them). */
  writes: boolean;
}

const read = (line: string): Command => ({ line, data: true, writes: false });
const write = (line: string): Command => ({ line, data: false, writes: true });
const fileIn = (language?: string) => (language ? ` FILE ${quoteString(language)}` : '');

/** Creates the domain's own PBX environment, or its `language` folder. */
export const createDomainPbx = (domain: string, language?: string) =>
  write(`CREATEDOMAINPBX ${quoteString(domain)}${fileIn(language)}`);

/** The environment's files (or a language folder's): a dictionary of name → attributes. */
export const listDomainPbxFiles = (domain: string, language?: string) =>
  read(`LISTDOMAINPBXFILES ${quoteString(domain)}${fileIn(language)}`);

/** A file's contents as a datablock; `path` is "name" or "language/name". */
export const readDomainPbxFile = (domain: string, path: string) =>
  read(`READDOMAINPBXFILE ${quoteString(domain)} FILE ${quoteString(path)}`);

/** Stores (replaces) a file. */
export const storeDomainPbxFile = (domain: string, path: string, data: Uint8Array) =>
  write(`STOREDOMAINPBXFILE ${quoteString(domain)} FILE ${quoteString(path)} DATA ${encodeCli(data)}`);

export const getAccountPrefs = (account: string) => read(`GETACCOUNTPREFS ${quoteString(account)}`);

/** Changes only the preferences named in `prefs`; the others stay as they are. */
export const updateAccountPrefs = (account: string, prefs: CliDict) =>
  write(`UPDATEACCOUNTPREFS ${quoteString(account)} ${encodeCli(prefs)}`);

export const getAccountSignalRules = (account: string) => read(`GETACCOUNTSIGNALRULES ${quoteString(account)}`);

/** Stores one Signal Rule (priority, name, conditions, actions, comment), replacing a rule of the same name. */
export const updateAccountSignalRule = (account: string, rule: CliValue[]) =>
  write(`UPDATEACCOUNTSIGNALRULE ${quoteString(account)} ${encodeCli(rule)}`);

/** Removes the Signal Rule of that name (no error when there is none). */
export const deleteAccountSignalRule = (account: string, name: string) =>
  write(`UPDATEACCOUNTSIGNALRULE ${quoteString(account)} DELETE ${quoteString(name)}`);
