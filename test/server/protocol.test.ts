// One WebSocket protocol (runtime/server/ws/protocol.ts): the server's schema and senders and the
// designer all use it; it stays browser-safe (type imports only), and the page keeps only messages
// of the declared types.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLIENT_MESSAGE_TYPES, parseServerMessage, SERVER_MESSAGE_TYPES } from '../../runtime/server/ws/protocol';
import { ClientMessage } from '../../runtime/server/ws/messages';

const read = (p: string) => readFileSync(p, 'utf8');

describe('the WebSocket protocol module', () => {
  it('imports nothing but types (the designer bundles it)', () => {
    const imports = read('runtime/server/ws/protocol.ts')
      .split('\n')
      .filter((l) => /^import\b/.test(l));
    expect(imports.length).toBeGreaterThan(0);
    for (const l of imports) expect(l).toMatch(/^import type /);
  });

  it('is the one declaration: the server and the designer import it, and declare no message unions of their own', () => {
    for (const f of ['runtime/server/ws/messages.ts', 'runtime/server/ws/calls.ts', 'runtime/server/ws/sip.ts'])
      expect(read(f), f).toContain("from './protocol'");
    for (const f of ['designer/api/client.ts', 'designer/call/sipCalls.ts'])
      expect(read(f), f).toContain("from '../../runtime/server/ws/protocol'");
    const designer = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? designer(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
      );
    for (const f of designer('designer')) expect(read(f), f).not.toMatch(/\|\s*\{\s*type:\s*'(call|sip)\.[a-z]+'/);
  });

  it("the server's schema knows every client type; the page drops what is not a server message", () => {
    for (const type of CLIENT_MESSAGE_TYPES) {
      const r = ClientMessage.safeParse({ type });
      // Each is known (any failure is about its fields, not an unknown type).
      expect(r.success || r.error.issues.every((i) => i.path[0] !== 'type'), type).toBe(true);
    }
    expect(ClientMessage.safeParse({ type: 'call.explode' }).success).toBe(false);
    for (const type of SERVER_MESSAGE_TYPES) expect(parseServerMessage(JSON.stringify({ type }))?.type).toBe(type);
    expect(parseServerMessage('{"type":"call.explode"}')).toBeNull();
    expect(parseServerMessage('not json')).toBeNull();
    expect(parseServerMessage('null')).toBeNull();
  });
});
