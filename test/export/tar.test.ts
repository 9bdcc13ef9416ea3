import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { list } from 'tar';
import { describe, expect, it } from 'vitest';
import { ExportError, exportEnvironment } from '../../compiler/export/tar';
import { FlowDocument } from '../../compiler/flow/schema';
import { compileToCgpl } from '../../compiler/generate';

const base = FlowDocument.parse(
  JSON.parse(readFileSync(new URL('../generate/fixtures/callback.json', import.meta.url), 'utf8')),
);

/** A flow folder with every prompt file of the callback flow, plus Russian recordings of two. */
function flowDir(): { dir: string; flow: FlowDocument } {
  const dir = mkdtempSync(join(tmpdir(), 'ivr-flow-'));
  mkdirSync(join(dir, 'prompts', 'ru'), { recursive: true });
  const prompts = structuredClone(base.prompts);
  for (const [name, p] of Object.entries(prompts)) writeFileSync(join(dir, p.files.english), `RIFF ${name}`);
  for (const name of ['CallbackBusy', 'CallbackTrailer']) {
    writeFileSync(join(dir, 'prompts', 'ru', `${name}.WAV`), `RIFF ru ${name}`);
    prompts[name].files.russian = `prompts/ru/${name}.WAV`;
  }
  return { dir, flow: { ...base, languages: ['english', 'russian'], prompts } };
}

async function entries(tarPath: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await list({
    file: tarPath,
    onReadEntry: (e) => {
      const chunks: Buffer[] = [];
      e.on('data', (c: Buffer) => chunks.push(c));
      e.on('end', () => out.set(e.path, Buffer.concat(chunks).toString('utf8')));
    },
  });
  return out;
}

describe('exportEnvironment', () => {
  it('puts the program and default prompts at the root and other languages in their folders', async () => {
    const { dir, flow } = flowDir();
    const out = join(dir, 'out', 'callback.tar');
    const { files, skipped } = await exportEnvironment(flow, dir, out);
    expect(skipped).toEqual([]);
    expect(files[0]).toBe('callback.sppr');
    expect(files).toContain('CallbackBusy.wav');
    expect(files).toContain('russian/CallbackBusy.wav');
    expect(files).toContain('russian/CallbackTrailer.wav');
    expect(files.filter((f) => !f.includes('/'))).toHaveLength(8);
    const tar = await entries(out);
    expect(tar.has('russian/')).toBe(true); // the folder itself, as CommuniGate creates it
    expect(tar.get('callback.sppr')).toBe(compileToCgpl(flow).text);
    expect(tar.get('russian/CallbackBusy.wav')).toBe('RIFF ru CallbackBusy');
    expect(tar.get('Failure.wav')).toBe('RIFF Failure');
  });

  it('lists every missing file in one error, or skips them on request', async () => {
    const { dir, flow } = flowDir();
    const broken = structuredClone(flow);
    broken.prompts.Failure.files.english = 'prompts/nope.wav';
    broken.prompts.CallbackLater = { files: {}, text: { english: 'later' } };
    const out = join(dir, 'x.tar');
    const err = await exportEnvironment(broken, dir, out).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExportError);
    expect((err as ExportError).problems).toEqual([
      expect.stringMatching(/^english\/CallbackLater: no recording for the default language/),
      expect.stringMatching(/^english\/Failure: file not found: .*nope\.wav$/),
    ]);
    const { files, skipped } = await exportEnvironment(broken, dir, out, { skipMissing: true });
    expect(skipped).toHaveLength(2);
    expect(files).not.toContain('Failure.wav');
    expect(files).toContain('callback.sppr');
  });

  it('refuses prompt and language names that would escape the environment', async () => {
    const { dir, flow } = flowDir();
    const bad = structuredClone(flow);
    bad.prompts['../evil'] = { files: { english: 'prompts/CallbackBusy.wav' }, text: {} };
    bad.prompts.CallbackBusy.files['../up'] = 'prompts/CallbackBusy.wav';
    const err = (await exportEnvironment(bad, dir, join(dir, 'y.tar')).catch((e: unknown) => e)) as ExportError;
    expect(err.problems).toHaveLength(2);
    expect(err.message).toContain('"../evil"');
  });

  it('refuses hidden names (a leading dot): CommuniGate would not list such a file', async () => {
    const { dir, flow } = flowDir();
    const bad = structuredClone(flow);
    bad.prompts['.hidden'] = { files: { english: 'prompts/CallbackBusy.wav' }, text: {} };
    bad.prompts.CallbackBusy.files['.config'] = 'prompts/CallbackBusy.wav';
    const err = (await exportEnvironment(bad, dir, join(dir, 'z.tar')).catch((e: unknown) => e)) as ExportError;
    expect(err).toBeInstanceOf(ExportError);
    expect([...err.problems].sort()).toEqual([
      'prompt ".hidden": the name cannot be a file name',
      'prompt "CallbackBusy": language ".config" cannot be a folder name',
    ]);
  });
});
