// The autosecretary sample as a small PBX for the SIP tests: a copy in a temporary folder whose
// pbx.json gives the accounts passwords (so phones can register) and, optionally, other changes.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadProgram, type Program } from '../../runtime/host';
import { killPeers, type Harness } from './helpers';
import type { Phone } from './phone';
import { closeRawSockets } from './raw';

export const PASSWORDS: Record<string, string> = { ivanov: 'ivanov-secret', petrov: 'petrov-secret' };

export interface PbxCopy {
  dir: string;
  program: Program;
  close(): Promise<void>;
}

export async function autosecretaryPbx(
  change: (pbx: Record<string, unknown>) => void = () => undefined,
  flowText: (text: string) => string = (t) => t,
): Promise<PbxCopy> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pbx-'));
  await cp(path.join(import.meta.dirname, '../../samples/autosecretary'), dir, { recursive: true });
  const file = path.join(dir, 'pbx.json');
  const pbx = JSON.parse(await readFile(file, 'utf8')) as { accounts: { name: string; password?: string }[] };
  for (const a of pbx.accounts) if (PASSWORDS[a.name]) a.password = PASSWORDS[a.name];
  change(pbx as unknown as Record<string, unknown>);
  await writeFile(file, JSON.stringify(pbx, null, 2));
  const flow = path.join(dir, 'flow.json');
  await writeFile(flow, flowText(await readFile(flow, 'utf8')));
  const { program, errors } = await loadProgram(path.join(dir, 'flow.json'));
  if (!program) throw new Error(errors.join('\n'));
  return { dir, program, close: () => rm(dir, { recursive: true, force: true }) };
}

/** After each PBX test: the phones, SIPp and raw sockets, the harness, then the copy. */
export async function closePbxTest(phones: Phone[], harness: Harness | null, pbx: PbxCopy | null): Promise<void> {
  for (const p of phones.splice(0)) await p.close().catch(() => undefined);
  killPeers();
  closeRawSockets();
  await harness?.close();
  await pbx?.close();
}
