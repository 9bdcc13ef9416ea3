// startSipService (runtime/index.ts), the library behind `ivr-studio run` and the desktop's SIP
// runtime: real programs, a real SIP server on a free port, answering a real OPTIONS over UDP.
import dgram from 'node:dgram';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceError, startSipService } from '../../runtime';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ivr-service-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function options(udpPort: number, callId: string): string {
  return [
    'OPTIONS sip:callback@127.0.0.1 SIP/2.0',
    `Via: SIP/2.0/UDP 127.0.0.1:${udpPort};branch=z9hG4bK-${callId}`,
    'Max-Forwards: 70',
    'From: <sip:test@127.0.0.1>;tag=1',
    'To: <sip:callback@127.0.0.1>',
    `Call-ID: ${callId}`,
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

describe('startSipService', () => {
  it('starts the flow on a free port, says where to call, answers SIP, and closes', async () => {
    const service = await startSipService({
      file: 'samples/callback/flow.json',
      outboxDir: join(dir, 'outbox'),
      port: 0,
      transports: ['udp'],
      mediaWorkers: 0,
    });
    try {
      expect(service.server.port).toBeGreaterThan(0);
      expect(service.where).toBe(`127.0.0.1:${service.server.port}`);
      expect(service.banner[0]).toMatch(
        new RegExp(
          `^SIP on udp 127\\.0\\.0\\.1:${service.server.port}; RTP on the SIP thread; e-mail: embedded outbox`,
        ),
      );
      expect(service.banner).toContain(
        `  call sip:${service.programs[0]!.name}@${service.where}   (samples/callback/flow.json)`,
      );
      const sock = dgram.createSocket('udp4');
      await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
      const reply = new Promise<string>((r) => sock.once('message', (m) => r(m.toString())));
      sock.send(options(sock.address().port, 'svc-1'), service.server.port, '127.0.0.1');
      expect((await reply).split('\r\n')[0]).toBe('SIP/2.0 200 OK');
      sock.close();
    } finally {
      await service.close();
    }
  });

  it('refuses with one line: a missing file, a program that cannot run, two programs of one name', async () => {
    const base = { outboxDir: join(dir, 'outbox2'), port: 0 };
    await expect(startSipService({ ...base, file: join(dir, 'nope.json') })).rejects.toThrow(
      new ServiceError(`${join(dir, 'nope.json')}: no such file or folder`),
    );
    const broken = join(dir, 'broken.sppr');
    await writeFile(broken, 'entry Main is\n  x = ;\nend;\n');
    const problems: string[] = [];
    await expect(startSipService({ ...base, file: broken, onProblem: (l) => problems.push(l) })).rejects.toThrow(
      `${broken}: cannot be run`,
    );
    expect(problems.join('\n')).toMatch(/broken\.sppr:2:\d+/);
    // Two copies of one flow in an environment folder: one name, twice.
    const env = join(dir, 'env');
    for (const sub of ['a', 'b']) await cp('samples/callback', join(env, sub), { recursive: true });
    await expect(startSipService({ ...base, file: env })).rejects.toThrow(
      new ServiceError(`${join(env, 'b', 'flow.json')}: a second program named 'callback'`),
    );
  });
});
