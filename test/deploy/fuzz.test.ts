// Network input, fuzzed: a "server" on loopback that answers with random lines (random replies,
// broken data, early closes). The client must end every time with one of its three errors — never
// a crash, a hang, or an unhandled rejection — and the listing parser takes any value.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CliCommandError,
  CliConnectionError,
  connectPwd,
  encodeCli,
  parseListing,
  type CliValue,
} from '../../runtime/deploy';

const line = fc.oneof(
  fc.string({ maxLength: 40 }).map((s) => s.replace(/[\r\n]/g, ' ')),
  fc.constantFrom('200 OK', '201 {', '201 [abc', '201 ("a",', '300 send', '500 no', '200 ready <x@y>', ''),
  fc
    .tuple(fc.integer({ min: 100, max: 999 }), fc.string({ maxLength: 20 }))
    .map(([c, t]) => `${c} ${t.replace(/[\r\n]/g, ' ')}`),
);

/** Answers each line it gets with the next scripted one; closes when the script runs out. */
async function scriptedServer(script: string[]): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    const next = () => {
      const l = script.shift();
      if (l === undefined) socket.end();
      else socket.write(`${l}\r\n`);
    };
    next();
    socket.on('data', next);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe('the PWD client on random answers', () => {
  it('always ends with a connection, login or command error, or runs the command', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 8 }), async (script) => {
        const server = await scriptedServer([...script]);
        try {
          const cli = await connectPwd({
            host: '127.0.0.1',
            port: server.port,
            user: 'u',
            password: 'p',
            tls: 'off',
            allowPlainPassword: true,
            timeoutMs: 2000,
          });
          try {
            await cli.command('LISTDOMAINPBXFILES "company.com"', { data: true });
          } catch (err) {
            expect(err instanceof CliCommandError || err instanceof CliConnectionError).toBe(true);
          } finally {
            await cli.close();
          }
        } catch (err) {
          expect(err).toBeInstanceOf(CliConnectionError);
          expect((err as Error).message).not.toContain('\n');
        } finally {
          await server.close();
        }
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});

describe('the listing parser', () => {
  it('takes any dictionary, and refuses anything else with a TypeError', () => {
    const value: fc.Arbitrary<CliValue> = fc.letrec<{ v: CliValue }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.string({ maxLength: 8 }),
        fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }),
        fc.constant(null),
        fc.array(tie('v'), { maxLength: 3 }),
        fc
          .array(fc.tuple(fc.constantFrom('STSize', 'Size', 'x.wav', 'a', 'STModified'), tie('v')), { maxLength: 3 })
          .map((e) => new Map(e)),
      ),
    })).v;
    fc.assert(
      fc.property(value, fc.option(fc.constantFrom('russian'), { nil: null }), (v, prefix) => {
        if (!(v instanceof Map)) {
          expect(() => parseListing(v, prefix)).toThrow(TypeError);
          return;
        }
        for (const [path, file] of parseListing(v, prefix)) {
          if (prefix) expect(path.startsWith(`${prefix}/`)).toBe(true);
          expect(file.size === null || Number.isFinite(file.size)).toBe(true);
        }
        expect(encodeCli(v)).toBeTypeOf('string');
      }),
    );
  });
});
