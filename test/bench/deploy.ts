// npm run bench:deploy — deploys over loopback to the test CLI server (test/deploy/cliServer.ts):
// the seed environment first time, again with nothing changed, again with one prompt changed, and a
// large synthetic environment; plus the data format's speed on a prompt-sized datablock.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectPwd, decodeCli, deployEnvironment, encodeCli, readEnvironment } from '../../runtime/deploy';
import { startCliServer } from '../deploy/cliServer';
import { SAMPLES, SEED_ACCOUNTS } from '../deploy/helpers';
import { printTable, timeMedian, type Row } from './table';

const root = await mkdtemp(join(tmpdir(), 'ivr-bench-deploy-'));
const rows: Row[] = [];
try {
  const samples = join(root, 'samples');
  await cp(SAMPLES, samples, { recursive: true });
  const big = join(root, 'big');
  await mkdir(join(big, 'russian'), { recursive: true });
  for (let i = 0; i < 200; i++) {
    const bytes = Buffer.alloc(64 * 1024, i);
    await writeFile(join(big, `prompt${i}.wav`), bytes);
    await writeFile(join(big, 'russian', `prompt${i}.wav`), bytes);
  }

  const server = await startCliServer({ domains: SEED_ACCOUNTS });
  const run = async (what: string, env: string, before?: () => Promise<void>) => {
    await before?.();
    const local = await readEnvironment(env);
    const cli = await connectPwd({
      host: '127.0.0.1',
      port: server.port,
      user: 'postmaster',
      password: 'Pw-4-test',
      tls: 'off',
    });
    server.log.length = 0;
    const t0 = performance.now();
    const r = await deployEnvironment({ env: local, domain: 'company.com', cli });
    const ms = performance.now() - t0;
    await cli.close();
    const mb = local.files.reduce((n, f) => n + f.bytes.length, 0) / 1e6;
    rows.push({
      deploy: what,
      files: local.files.length,
      MB: mb,
      stored: r.stored.length,
      'compared (read back)': server.log.filter((l) => l.startsWith('READDOMAINPBXFILE')).length,
      ms,
      'MB/s': mb / (ms / 1000),
    });
  };
  await run('seed, first time', samples);
  await run('seed, nothing changed', samples);
  await run('seed, one prompt re-recorded', samples, async () => {
    const bytes = await readFile(join(samples, 'callback/russian/CallbackBusy.wav'));
    bytes[bytes.length - 1] ^= 1;
    for (const f of ['callback', 'autosecretary']) await writeFile(join(samples, f, 'russian/CallbackBusy.wav'), bytes);
  });
  server.domain('company.com').pbx = null;
  await run('400 × 64 KB, first time', big);
  await run('400 × 64 KB, nothing changed', big);
  await server.close();
  printTable('deploy over loopback (PWD, INLINE, the test CLI server)', rows);

  const block = new Uint8Array(Buffer.alloc(64 * 1024, 7));
  const text = encodeCli(block);
  const enc = timeMedian(() => encodeCli(block), 50);
  const dec = timeMedian(() => decodeCli(text), 50);
  printTable('CLI data format, one 64 KB datablock', [
    { op: 'encode', ms: enc, 'MB/s': 0.065536 / (enc / 1000) },
    { op: 'decode', ms: dec, 'MB/s': 0.065536 / (dec / 1000) },
  ]);
} finally {
  await rm(root, { recursive: true, force: true });
}
