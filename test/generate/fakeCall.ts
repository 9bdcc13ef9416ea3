// A tiny scripted call for running compiled JS modules: DTMF from a string, then silence, then a hang-up.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EmailRequest, Input } from '../../runtime/call/api';

export interface FakeCall {
  log: string[];
  mails: EmailRequest[];
  nodes: string[];
  call: Record<string, unknown>;
}

export function fakeCall(
  opts: { digits?: string; now?: Date; mailResult?: string | null; maxSteps?: number } = {},
): FakeCall {
  const queue = [...(opts.digits ?? '')];
  const log: string[] = [];
  const mails: EmailRequest[] = [];
  const nodes: string[] = [];
  let silences = 0;
  let steps = 0;
  const step = () => {
    if (++steps > (opts.maxSteps ?? 10_000)) throw new Error('too many steps');
  };
  const call = {
    id: 'fake',
    accept: async () => {
      log.push('accept');
      return null;
    },
    playFile: async (name: string) => {
      step();
      log.push(`play ${name}`);
    },
    readInput: async (seconds: number): Promise<Input> => {
      step();
      const d = queue.shift();
      if (d !== undefined) return d;
      log.push(`wait ${seconds}`);
      return ++silences > 20 ? { what: 'Disconnect' } : null;
    },
    dtmf: () => queue.join(''),
    clearDtmf: () => {
      queue.length = 0;
    },
    setInterruptOnDtmf: (f: boolean) => log.push(`interrupt ${f}`),
    sendEmail: async (req: EmailRequest) => {
      step();
      mails.push(req);
      log.push(`mail ${req.subject}`);
      return opts.mailResult ?? null;
    },
    redirect: async (uri: string) => {
      step();
      log.push(`redirect ${uri}`);
    },
    record: async () => {
      step();
      return new Uint8Array([82, 73, 70, 70]);
    },
    disconnect: async () => {
      log.push('disconnect');
    },
    isConnected: () => true,
    remoteUri: () => 'sip:caller@example.net',
    localUri: () => 'sip:ivanov@company.com',
    myEmail: () => 'ivanov@company.com',
    myDomain: () => 'company.com',
    setLanguage: () => {},
    getLanguage: () => 'english',
    getAccountPreference: () => null,
    now: () => (step(), opts.now ?? new Date('2025-03-04T10:00:00Z')),
    node: (id: string) => nodes.push(id),
    log: (t: string) => log.push(`log ${t}`),
  };
  return { log, mails, nodes, call };
}

const dir = mkdtempSync(join(tmpdir(), 'ivr-js-'));
let count = 0;

/** Writes the module text to a temp .mjs and imports its default export. */
export async function importModule(text: string): Promise<(call: unknown) => Promise<void>> {
  const file = join(dir, `flow${count++}.mjs`);
  writeFileSync(file, text);
  const mod = await import(/* @vite-ignore */ pathToFileURL(file).href);
  return mod.default;
}
