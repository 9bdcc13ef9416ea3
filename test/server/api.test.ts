import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { list } from 'tar';
import { Readable } from 'node:stream';
import wavefile from 'wavefile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFlowObject } from '../../compiler/flow';
import { Outbox } from '../../runtime/mail';
import { startTestServer, type TestServer } from './helpers';

let server: TestServer;
let flowText: string;
const flow = () => JSON.parse(flowText) as Record<string, any>;

beforeAll(async () => {
  const { makeWorkspace } = await import('./helpers');
  const workspace = await makeWorkspace();
  // An e-mail already in the outbox before the server starts: the server's Mailer loads it.
  const box = await Outbox.open(join(workspace, '..', 'outbox'));
  await box.add(
    {
      id: '20260101T000000000-abcdef0123',
      createdAt: '2026-01-01T00:00:00.000Z',
      from: 'ivr@company.com',
      to: 'ops@company.com',
      subject: 'Contact phone: 42',
      status: 'sent',
    },
    'From: ivr@company.com\r\nTo: ops@company.com\r\nSubject: Contact phone: 42\r\nContent-Type: text/plain\r\n\r\nPlease call back 42.\r\n',
  );
  await box.flush();
  server = await startTestServer({ workspace });
  flowText = await readFile(join(server.workspace, 'callback/flow.json'), 'utf8');
});

afterAll(async () => {
  await server.dispose();
});

describe('files', () => {
  it('GET /api/info names the version, the workspace and the samples in it', async () => {
    const info = await (await server.api('/api/info')).json();
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.workspace).toContain('workspace');
    expect(info.samples).toEqual(['callback/flow.json', 'autosecretary/flow.json']);
  });

  it('GET /api/files lists the flows only (not scenarios)', async () => {
    const { files } = await (await server.api('/api/files')).json();
    expect(files.map((f: { path: string }) => f.path)).toEqual(['autosecretary/flow.json', 'callback/flow.json']);
    expect(files[1].name).toBe('callback');
    expect(Number.isNaN(Date.parse(files[1].modified))).toBe(false);
  });

  it('GET /api/file returns the document as written; a missing file is 404, a scenario 400', async () => {
    const res = await server.api('/api/file?path=callback/flow.json');
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.text()).toBe(flowText);
    expect((await server.api('/api/file?path=nope/flow.json')).status).toBe(404);
    const scenario = await server.api('/api/file?path=callback/scenarios/happy-path.scenario.json');
    expect(scenario.status).toBe(400);
    expect((await scenario.json()).problems.length).toBeGreaterThan(0);
  });

  it('GET /api/flow returns the checked document with its defaults, and the file date', async () => {
    const { parseFlowObject } = await import('../../compiler/flow/load');
    const res = await server.api('/api/flow?path=callback/flow.json');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { flow: unknown; modified: string };
    expect(body.flow).toEqual(parseFlowObject(flow()).flow);
    const onDisk = await stat(join(server.workspace, 'callback/flow.json'));
    expect(Date.parse(body.modified)).toBe(onDisk.mtime.getTime());
    // Defaults the file leaves out are filled in: a document without notes gets an empty list.
    const bare = { ...flow() };
    delete bare.notes;
    expect((await server.json('/api/file?path=bare/flow.json', bare, 'PUT')).status).toBe(200);
    expect((await (await server.api('/api/flow?path=bare/flow.json')).json()).flow.notes).toEqual([]);
    expect((await server.api('/api/flow?path=nope/flow.json')).status).toBe(404);
    const scenario = await server.api('/api/flow?path=callback/scenarios/happy-path.scenario.json');
    expect(scenario.status).toBe(400);
    expect((await scenario.json()).problems.length).toBeGreaterThan(0);
    expect((await server.api('/api/flow?path=callback')).status).toBe(400);
  });

  it('PUT /api/file writes atomically (no temp file left) and creates folders', async () => {
    const doc = { ...flow(), description: 'saved by the test' };
    const res = await server.json('/api/file?path=mine/new/flow.json', doc, 'PUT');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.ok).toBe(true);
    expect(Date.parse(body.modified)).toBeGreaterThan(0);
    // What the schema knows of the document: defaults filled in (docs/server-api.md).
    const written = JSON.parse(await readFile(join(server.workspace, 'mine/new/flow.json'), 'utf8'));
    expect(written).toEqual(JSON.parse(JSON.stringify(parseFlowObject(doc).flow)));
    expect(written.description).toBe('saved by the test');
    expect(await readdir(join(server.workspace, 'mine/new'))).toEqual(['flow.json']);
    const { files } = await (await server.api('/api/files')).json();
    expect(files.map((f: { path: string }) => f.path)).toContain('mine/new/flow.json');
  });

  it('PUT /api/file of something that is not a flow is 400 with problems, and the file is unchanged', async () => {
    const before = await readFile(join(server.workspace, 'callback/flow.json'), 'utf8');
    for (const bad of [{ format: 'ivr-studio/flow@1', nodes: 'no' }, { hello: 1 }, [1, 2]]) {
      const res = await server.json('/api/file?path=callback/flow.json', bad, 'PUT');
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.error).toMatch(/not a flow document/);
      expect(body.problems.length).toBeGreaterThan(0);
    }
    expect(await readFile(join(server.workspace, 'callback/flow.json'), 'utf8')).toBe(before);
    expect((await readdir(join(server.workspace, 'callback'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('PUT /api/file refuses names that are not .json and folders', async () => {
    expect((await server.json('/api/file?path=callback/flow.txt', flow(), 'PUT')).status).toBe(400);
    await mkdir(join(server.workspace, 'dir.json'));
    expect((await server.json('/api/file?path=dir.json', flow(), 'PUT')).status).toBe(400);
  });
});

describe('validate, compile, export', () => {
  it('POST /api/validate returns problems, with the prompt-file check when a path is given', async () => {
    const ok = await (await server.json('/api/validate', { flow: flow(), path: 'callback/flow.json' })).json();
    expect(ok.problems.filter((p: { severity: string }) => p.severity === 'error')).toEqual([]);
    const moved = await (await server.json('/api/validate', { flow: flow(), path: 'elsewhere/flow.json' })).json();
    expect(moved.problems.some((p: { message: string }) => /does not exist/.test(p.message))).toBe(true);
    const broken = await (await server.json('/api/validate', { flow: { format: 'ivr-studio/flow@1' } })).json();
    expect(broken.problems.length).toBeGreaterThan(0);
  });

  it('POST /api/compile gives CG/PL with a source map, or JS', async () => {
    const cgpl = await (await server.json('/api/compile', { flow: flow(), target: 'cgpl' })).json();
    expect(cgpl.text).toContain('entry Main is');
    expect(cgpl.sourceMap.nodes.number.length).toBeGreaterThan(0);
    const js = await (await server.json('/api/compile', { flow: flow(), target: 'js' })).json();
    expect(js.text).toContain('export default async function main(call, options = {})');
    expect((await server.json('/api/compile', { flow: flow(), target: 'cobol' })).status).toBe(400);
  });

  it('POST /api/compile of a flow with errors is 400 with problems', async () => {
    const doc = flow();
    doc.nodes = doc.nodes.filter((n: { type: string }) => n.type !== 'start');
    const res = await server.json('/api/compile', { flow: doc, target: 'cgpl' });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.problems.length).toBeGreaterThan(0);
    expect(body.problems.every((p: { severity: string }) => p.severity === 'error')).toBe(true);
  });

  it('POST /api/export sends a tar with callback.sppr and the prompts', async () => {
    const res = await server.json('/api/export', { flow: flow(), path: 'callback/flow.json' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-tar');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="callback.tar"');
    const bytes = Buffer.from(await res.arrayBuffer());
    const files: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const parser = list({
        onReadEntry: (e) => {
          files.push(e.path);
          e.resume();
        },
      });
      parser.on('end', resolve);
      parser.on('error', reject);
      Readable.from([bytes]).pipe(parser as unknown as NodeJS.WritableStream);
    });
    expect(files).toContain('callback.sppr');
    expect(files).toContain('CallbackBusy.wav');
    expect(files).toContain('russian/CallbackBusy.wav');
  });
});

describe('audio', () => {
  it('GET /api/audio serves a WAV as audio/wav', async () => {
    const res = await server.api('/api/audio?path=callback/CallbackBusy.wav');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(Buffer.from(bytes).equals(await readFile(join(server.workspace, 'callback/CallbackBusy.wav')))).toBe(true);
    expect((await server.api('/api/audio?path=callback/flow.json')).status).toBe(400);
    expect((await server.api('/api/audio?path=callback/Nope.wav')).status).toBe(404);
  });

  it('POST /api/prompt turns a 44.1 kHz stereo float WAV into 8 kHz mono 16-bit, in the language folder', async () => {
    const rate = 44100;
    const left = new Float64Array(rate / 2).map((_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / rate));
    const right = left.map((v) => v * 0.5);
    const source = new wavefile.WaveFile();
    source.fromScratch(2, rate, '32f', [left, right]);
    const res = await server.json('/api/prompt', {
      path: 'callback/flow.json',
      prompt: 'Welcome',
      language: 'russian',
      wavBase64: Buffer.from(source.toBuffer()).toString('base64'),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ file: 'callback/russian/Welcome.wav', relative: 'russian/Welcome.wav' });
    const written = new wavefile.WaveFile(await readFile(join(server.workspace, 'callback/russian/Welcome.wav')));
    const fmt = written.fmt as { audioFormat: number; numChannels: number; sampleRate: number; bitsPerSample: number };
    expect(fmt).toMatchObject({ audioFormat: 1, numChannels: 1, sampleRate: 8000, bitsPerSample: 16 });
    const samples = written.getSamples(false, Float64Array) as unknown as Float64Array;
    expect(Math.abs(samples.length - 4000)).toBeLessThanOrEqual(2);
    // The average of the two channels: 0.375 of full scale at the peak.
    const peak = Math.max(...samples.slice(100, 3900).map(Math.abs));
    expect(peak / 32768).toBeGreaterThan(0.3);
    expect(peak / 32768).toBeLessThan(0.45);
    expect((await readdir(join(server.workspace, 'callback/russian'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('POST /api/prompt puts the default language at the flow root and reads µ-law', async () => {
    const source = new wavefile.WaveFile();
    source.fromScratch(1, 8000, '16', new Int16Array(800).fill(1000));
    source.toMuLaw();
    const res = await server.json('/api/prompt', {
      path: 'callback/flow.json',
      prompt: 'Hello',
      language: 'english',
      wavBase64: Buffer.from(source.toBuffer()).toString('base64'),
    });
    expect(await res.json()).toEqual({ file: 'callback/Hello.wav', relative: 'Hello.wav' });
    expect((await stat(join(server.workspace, 'callback/Hello.wav'))).size).toBe(44 + 1600);
  });

  it('POST /api/prompt refuses bad names and bytes that are not a WAV', async () => {
    const good = new wavefile.WaveFile();
    good.fromScratch(1, 8000, '16', [0, 0]);
    const wav = Buffer.from(good.toBuffer()).toString('base64');
    for (const body of [
      { path: 'callback/flow.json', prompt: '../x', language: 'english', wavBase64: wav },
      { path: 'callback/flow.json', prompt: 'X', language: '../..', wavBase64: wav },
      {
        path: 'callback/flow.json',
        prompt: 'X',
        language: 'english',
        wavBase64: Buffer.from('not a wav at all').toString('base64'),
      },
      { path: 'callback/flow.json', prompt: 'X', language: 'english' },
    ]) {
      const res = await server.json('/api/prompt', body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(typeof (await res.json()).error).toBe('string');
    }
  });
});

describe('outbox', () => {
  it('GET /api/outbox lists the entries, newest first', async () => {
    const { entries } = await (await server.api('/api/outbox')).json();
    expect(entries[0]).toMatchObject({
      id: '20260101T000000000-abcdef0123',
      subject: 'Contact phone: 42',
      status: 'sent',
    });
  });

  it('GET /api/outbox/message gives the message and its text; an unknown id is 404', async () => {
    const msg = await (await server.api('/api/outbox/message?id=20260101T000000000-abcdef0123')).json();
    expect(msg).toMatchObject({ subject: 'Contact phone: 42', from: 'ivr@company.com', to: 'ops@company.com' });
    expect(msg.text.trim()).toBe('Please call back 42.');
    expect(msg.eml).toContain('Subject: Contact phone: 42');
    expect((await server.api('/api/outbox/message?id=20260101T000000000-ffffffffff')).status).toBe(404);
    expect((await server.api('/api/outbox/message?id=../index')).status).toBe(404);
  });
});
