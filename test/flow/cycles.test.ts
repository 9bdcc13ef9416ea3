// Loops that never wait for the caller are errors naming the loop; loops through a menu, a digit
// collection or a recording are fine. The repro shapes are the ones of the issue (one mis-dragged edge).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { busyLoopProblems, validateFlow, waitsForCaller, type FlowDocument } from '../../compiler/flow';
import { errors, flowOf } from './helpers';

const edge = (source: string, sourceHandle: string, target: string) => ({
  id: `${source}.${sourceHandle}`,
  source,
  sourceHandle,
  target,
});

const loops = (flow: FlowDocument) => errors(validateFlow(flow)).filter((p) => p.cycle !== undefined);

describe('busy loops', () => {
  it('intro.next → intro: a prompt wired to itself', () => {
    const flow = flowOf(
      [
        { id: 's', type: 'start' },
        { id: 'intro', type: 'play', data: { prompts: ['Hello'] } },
      ],
      [edge('s', 'next', 'intro'), edge('intro', 'next', 'intro')],
      { prompts: { Hello: { files: {} } } },
    );
    expect(loops(flow)).toEqual([
      {
        severity: 'error',
        code: 'FLOW313',
        nodeId: 'intro',
        nodeType: 'play',
        field: 'outputs',
        cycle: ['intro'],
        message:
          'the call can loop without waiting for the caller: intro → intro (put a menu, a digit collection or a recording on the loop, or end it)',
      },
    ]);
  });

  it('mail.failed → mail: an e-mail retried for ever', () => {
    const flow = flowOf(
      [
        { id: 's', type: 'start' },
        { id: 'mail', type: 'sendEmail', data: { to: 'ops@company.com', subject: 'x' } },
        { id: 'bye', type: 'hangup' },
      ],
      [edge('s', 'next', 'mail'), edge('mail', 'sent', 'bye'), edge('mail', 'failed', 'mail')],
    );
    expect(loops(flow).map((p) => [p.nodeId, p.cycle])).toEqual([['mail', ['mail']]]);
  });

  it('a 3-node setVariable cycle, listed in the order a call goes round', () => {
    const flow = flowOf(
      [
        { id: 's', type: 'start' },
        { id: 'a', type: 'setVariable', data: { variable: 'x', value: '1' } },
        { id: 'b', type: 'setVariable', data: { variable: 'x', value: '2' } },
        { id: 'c', type: 'setVariable', data: { variable: 'x', value: '3' } },
      ],
      [edge('s', 'next', 'a'), edge('a', 'next', 'b'), edge('b', 'next', 'c'), edge('c', 'next', 'a')],
    );
    const [problem, ...more] = loops(flow);
    expect(more).toEqual([]);
    expect(problem).toMatchObject({ nodeId: 'a', cycle: ['a', 'b', 'c'] });
    expect(problem!.message).toMatch(/: a → b → c → a \(/);
  });

  it('a condition loop reports the shortest way round, and each separate loop once', () => {
    const flow = flowOf(
      [
        { id: 's', type: 'start' },
        { id: 'check', type: 'condition', data: { variable: 'x', operator: 'empty' } },
        { id: 'set', type: 'setVariable', data: { variable: 'x', value: '' } },
        { id: 'again', type: 'play', data: { prompts: [] } },
        { id: 'p', type: 'play', data: { prompts: [] } },
      ],
      [
        edge('s', 'next', 'check'),
        edge('check', 'true', 'set'),
        edge('set', 'next', 'check'),
        edge('check', 'false', 'again'),
        edge('again', 'next', 'set'),
        edge('p', 'next', 'p'),
      ],
    );
    // p is unreachable: its loop never runs (it is only warned about as unreachable).
    expect(loops(flow).map((p) => p.cycle)).toEqual([['check', 'set']]);
  });

  it('loops through a menu, a digit collection or a recording wait for the caller: no error', () => {
    for (const [type, data, out] of [
      ['menu', { options: [{ digit: '1' }] }, 'timeout'],
      ['collectDigits', {}, 'empty'],
      ['recordVoicemail', {}, 'empty'],
    ] as const) {
      const flow = flowOf(
        [
          { id: 's', type: 'start' },
          { id: 'ask', type, data },
          { id: 'sorry', type: 'play', data: { prompts: [] } },
        ],
        [edge('s', 'next', 'ask'), edge('ask', out, 'sorry'), edge('sorry', 'next', 'ask')],
      );
      expect(loops(flow)).toEqual([]);
    }
  });

  it('a menu that does not wait (timeout 0) does not make its loop safe', () => {
    const flow = flowOf(
      [
        { id: 's', type: 'start' },
        { id: 'ask', type: 'menu', data: { options: [{ digit: '1' }], timeout: 0 } },
      ],
      [edge('s', 'next', 'ask'), edge('ask', 'timeout', 'ask'), edge('ask', 'invalid', 'ask')],
    );
    expect(loops(flow).map((p) => p.cycle)).toEqual([['ask']]);
  });

  it('the samples have no busy loop', async () => {
    const { loadFlow } = await import('../../compiler/flow');
    const { readFile } = await import('node:fs/promises');
    for (const file of ['samples/callback/flow.json', 'samples/autosecretary/flow.json']) {
      const { flow } = loadFlow(await readFile(file, 'utf8'), file);
      expect(busyLoopProblems(flow!)).toEqual([]);
    }
  });

  it('property: an error exactly when some reachable loop never waits, and each reported loop is one', () => {
    const types = ['play', 'setVariable', 'condition', 'menu', 'collectDigits', 'recordVoicemail'] as const;
    const graph = fc.record({
      kinds: fc.array(fc.constantFrom(...types), { minLength: 1, maxLength: 9 }),
      wires: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { maxLength: 20 }),
    });
    fc.assert(
      fc.property(graph, ({ kinds, wires }) => {
        const nodes = [
          { id: 's', type: 'start' },
          ...kinds.map((type, i) => ({ id: `n${i}`, type, data: type === 'menu' ? { options: [] } : {} })),
        ];
        const flow = flowOf(nodes, [edge('s', 'next', 'n0')]);
        const handles = {
          play: ['next'],
          setVariable: ['next'],
          condition: ['true', 'false'],
          menu: ['timeout', 'invalid'],
          collectDigits: ['done', 'empty'],
          recordVoicemail: ['recorded', 'empty'],
        };
        const used = new Set<string>();
        for (const [from, h, to] of wires) {
          const source = flow.nodes[1 + (from % kinds.length)]!;
          const list = handles[source.type as keyof typeof handles];
          const handle = list[h % list.length]!;
          if (used.has(`${source.id}.${handle}`)) continue;
          used.add(`${source.id}.${handle}`);
          flow.edges.push(edge(source.id, handle, `n${to % kinds.length}`));
        }
        // The oracle: from the start, can some non-waiting node get back to itself through non-waiting nodes?
        const next = (id: string) => flow.edges.filter((e) => e.source === id).map((e) => e.target);
        const byId = new Map(flow.nodes.map((n) => [n.id, n]));
        const reach = new Set(['s']);
        for (const todo = ['s']; todo.length; )
          for (const t of next(todo.pop()!)) if (!reach.has(t)) reach.add(t), todo.push(t);
        const busy = (id: string) => reach.has(id) && !waitsForCaller(byId.get(id)!);
        const onBusyLoop = (v: string) => {
          const seen = new Set<string>();
          for (const todo = next(v).filter(busy); todo.length; ) {
            const w = todo.pop()!;
            if (w === v) return true;
            if (!seen.has(w)) seen.add(w), todo.push(...next(w).filter(busy));
          }
          return false;
        };
        const expected = [...reach].some((v) => v !== 's' && busy(v) && onBusyLoop(v));
        const found = busyLoopProblems(flow);
        expect(found.length > 0).toBe(expected);
        for (const p of found) {
          const cycle = p.cycle!;
          cycle.forEach((id, i) => {
            expect(busy(id)).toBe(true);
            expect(next(id)).toContain(cycle[(i + 1) % cycle.length]);
          });
        }
      }),
      { numRuns: 300 },
    );
  });
});
