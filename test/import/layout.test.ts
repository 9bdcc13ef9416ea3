// An imported flow is laid out like the designer's Layout command: branches leave a node in the order
// the node draws its outputs (the callback's sent left of failed).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importCgpl, layoutFlow } from '../../compiler/import';
import { outputHandles } from '../../compiler/flow/model';

describe('layoutFlow', () => {
  it("places the seed's branches in output order, every node somewhere new", async () => {
    const seed = readFileSync('test/fixtures/seed-callback.sppr', 'utf8');
    const imported = importCgpl(seed, { file: 'seed-callback.sppr' });
    expect(imported.flow).not.toBeNull();
    const flow = await layoutFlow(imported.flow!);
    const at = new Map(flow.nodes.map((n) => [n.id, n.position]));
    const positions = new Set(flow.nodes.map((n) => `${n.position.x},${n.position.y}`));
    expect(positions.size).toBe(flow.nodes.length);

    const mail = flow.nodes.find((n) => n.type === 'sendEmail');
    expect(mail).toBeDefined();
    const target = (handle: string) =>
      flow.edges.find((e) => e.source === mail!.id && e.sourceHandle === handle)?.target;
    expect(outputHandles(mail!)).toEqual(['sent', 'failed']);
    const [sent, failed] = [target('sent'), target('failed')];
    expect(sent && failed && sent !== failed).toBeTruthy();
    expect(at.get(sent!)!.x).toBeLessThan(at.get(failed!)!.x);
  });
});
