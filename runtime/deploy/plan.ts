// Which files a deploy stores: the local environment against what LISTDOMAINPBXFILES says is on the
// server. The listing gives each file's attributes (its size among them) but no checksum, so:
// missing or a different size → store; the same size (or no size) → read the server's copy and
// compare contents (a re-recorded prompt of the same length is the same size). Files only on the
// server are left alone and reported.
import type { CliDict, CliValue } from './cliData';
import type { LocalFile } from './localEnv';

export interface RemoteFile {
  /** Bytes, when the listing says. */
  size: number | null;
}

/** path ("x.wav", "russian/x.wav") → what the server listed. */
export type RemoteListing = Map<string, RemoteFile>;

export type StoreReason = 'new' | 'size' | 'content';

export interface FilePlan {
  store: { file: LocalFile; why: StoreReason }[];
  /** Listed with the same size, or with none: their contents decide. */
  verify: LocalFile[];
  /** On the server, not in the local environment: never deleted. */
  remoteOnly: string[];
}

/** The file attributes' size key; anything else the listing carries is ignored. */
const SIZE_KEYS = ['STSize', 'Size', 'size'];

/**
 * One folder's LISTDOMAINPBXFILES answer as paths (`prefix/name`). Folder entries (dictionaries
 * without a size whose name has no extension) are left out.
 */
export function parseListing(answer: CliValue | undefined, prefix: string | null): RemoteListing {
  if (answer === undefined || !(answer instanceof Map))
    throw new TypeError(`the file list is not a dictionary (got ${describeKind(answer)})`);
  const out: RemoteListing = new Map();
  for (const [name, attrs] of answer) {
    const size = sizeOf(attrs);
    if (size === null && !/\.[A-Za-z0-9]+$/.test(name)) continue;
    out.set(prefix ? `${prefix}/${name}` : name, { size });
  }
  return out;
}

function sizeOf(attrs: CliValue): number | null {
  if (!(attrs instanceof Map)) return null;
  for (const key of SIZE_KEYS) {
    const v = (attrs as CliDict).get(key);
    if (typeof v === 'bigint') return Number(v);
    if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  }
  return null;
}

/** Which local files to store and which to compare, against the listings of the folders read. */
export function planFiles(local: readonly LocalFile[], remote: RemoteListing): FilePlan {
  const plan: FilePlan = { store: [], verify: [], remoteOnly: [] };
  for (const file of local) {
    const there = remote.get(file.path);
    if (!there) plan.store.push({ file, why: 'new' });
    else if (there.size !== null && there.size !== file.bytes.length) plan.store.push({ file, why: 'size' });
    else plan.verify.push(file);
  }
  const paths = new Set(local.map((f) => f.path));
  plan.remoteOnly = [...remote.keys()].filter((p) => !paths.has(p)).sort();
  return plan;
}

function describeKind(v: CliValue | undefined): string {
  if (v === undefined) return 'no data';
  if (v === null) return 'null';
  if (typeof v === 'string') return 'a string';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Uint8Array) return 'a datablock';
  return typeof v === 'bigint' ? 'a number' : 'another kind of value';
}
