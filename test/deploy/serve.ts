// The test CLI server on its own, to try `ivr-studio deploy` by hand (docs/deploy.md):
//   npx tsx test/deploy/serve.ts [--port-file FILE]
// prints the PWD and HTTP ports; user postmaster, password Pw-4-test; domain company.com with the
// seed's accounts. Stops on Ctrl+C.
import { writeFile } from 'node:fs/promises';
import { startCliServer } from './cliServer';
import { SEED_ACCOUNTS } from './helpers';

const server = await startCliServer({ domains: SEED_ACCOUNTS, http: true });
const portFile = process.argv.indexOf('--port-file');
if (portFile > 0) await writeFile(process.argv[portFile + 1]!, `${server.port}\n`);
process.stdout.write(
  `test CLI server: PWD 127.0.0.1:${server.port}, HTTP 127.0.0.1:${server.httpPort} (postmaster / Pw-4-test)\n`,
);
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
