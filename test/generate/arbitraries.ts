// fast-check arbitraries of small valid-shaped flows, for the generator tests and for the runtime's
// differential tests (interpret the CG/PL, run the JS, compare the calls).
import fc from 'fast-check';
import { FLOW_FORMAT, FlowDocument, outputHandles, type FlowNode } from '../../compiler/flow/schema';

const promptName = fc.constantFrom('Welcome', 'MainMenu', 'Invalid', 'NoInput', 'Goodbye', 'CallbackNumber', 'Привет');
const prompts = fc.array(promptName, { maxLength: 3 });
const variable = fc.constantFrom('digits', 'choice', 'next', 'Digits', 'caller_id', 'input', 'x');
const template = fc
  .array(
    fc.oneof(
      fc.string({ maxLength: 8 }),
      variable.map((v) => `{{${v}}}`),
      fc.constantFrom('{{domain}}', '{{account}}', '{{caller}}'),
    ),
    { maxLength: 4 },
  )
  .map((parts) => parts.join(''));
const digit = fc.constantFrom('0', '1', '2', '3', '9', '*', '#');
const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 30))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

/** One node's type and data (ids and wiring are added by arbitraryFlow). */
export const arbitraryNodeBody: fc.Arbitrary<Omit<FlowNode, 'id' | 'position'>> = fc.oneof(
  fc.record({ type: fc.constant('play' as const), data: fc.record({ prompts, interruptible: fc.boolean() }) }),
  fc.record({
    type: fc.constant('menu' as const),
    data: fc.record({
      prompts,
      options: fc.uniqueArray(digit, { maxLength: 4 }).map((ds) => ds.map((d) => ({ digit: d }))),
      timeout: fc.integer({ min: 0, max: 10 }),
      retries: fc.integer({ min: 0, max: 3 }),
      invalidPrompts: prompts,
      noInputPrompts: prompts,
      replayAnnouncement: fc.boolean(),
    }),
  }),
  fc.record({
    type: fc.constant('collectDigits' as const),
    data: fc.record({
      prompts,
      endKey: fc.constantFrom('#', '', '*'),
      clearKey: fc.constantFrom('*', ''),
      clearPrompts: prompts,
      maxDigits: fc.integer({ min: 0, max: 12 }),
      firstDigitTimeout: fc.integer({ min: 0, max: 20 }),
      interDigitTimeout: fc.integer({ min: 0, max: 20 }),
      variable,
    }),
  }),
  fc.record({
    type: fc.constant('sendEmail' as const),
    data: fc.record({
      from: template,
      to: template,
      subject: template,
      body: template,
      attachRecording: fc.constantFrom('', 'recording'),
    }),
  }),
  fc.record({
    type: fc.constant('businessHours' as const),
    data: fc.record({
      timeZone: fc.constantFrom('', 'Europe/Moscow', 'America/New_York'),
      schedule: fc.array(
        fc.record({
          days: fc.subarray(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const),
          from: hhmm,
          to: hhmm,
        }),
        { maxLength: 2 },
      ),
      holidays: fc.array(fc.constantFrom('2025-01-01', '2025-12-31', 'bad'), { maxLength: 2 }),
    }),
  }),
  fc.record({
    type: fc.constant('transfer' as const),
    data: fc.record({ target: fc.oneof(fc.constantFrom('', 'ivanov', 'sip:200@company.com'), template) }),
  }),
  fc.record({
    type: fc.constant('condition' as const),
    data: fc.record({
      variable,
      operator: fc.constantFrom('equals' as const, 'matches' as const, 'empty' as const),
      value: fc.oneof(template, fc.constantFrom('^[0-9]+$', '5*')),
    }),
  }),
  fc.record({ type: fc.constant('setVariable' as const), data: fc.record({ variable, value: template }) }),
  fc.record({
    type: fc.constant('recordVoicemail' as const),
    data: fc.record({
      prompts,
      maxSeconds: fc.integer({ min: 1, max: 120 }),
      variable: fc.constantFrom('recording', 'rec'),
    }),
  }),
  fc.record({ type: fc.constant('hangup' as const), data: fc.constant({}) }),
) as fc.Arbitrary<Omit<FlowNode, 'id' | 'position'>>;

/**
 * A flow of a start node and up to `maxNodes` others. Each node hangs off an earlier node's free
 * output when one is left (so most nodes are reachable); remaining outputs are left open or wired
 * on — backward edges (to a menu, collectDigits or recordVoicemail) make cycles, shared targets joins.
 */
export function arbitraryFlow(maxNodes = 8): fc.Arbitrary<FlowDocument> {
  return fc
    .record({
      bodies: fc.array(arbitraryNodeBody, { maxLength: maxNodes }),
      wiring: fc.array(fc.nat(), { minLength: 4 * maxNodes + 8, maxLength: 4 * maxNodes + 8 }),
      initial: fc.option(fc.string({ maxLength: 6 }), { nil: undefined }),
    })
    .map(({ bodies, wiring, initial }) => {
      let w = 0;
      const pick = (n: number) => wiring[w++ % wiring.length] % n;
      const nodes = [{ id: 'start', type: 'start', data: {} }, ...bodies.map((b, i) => ({ ...b, id: `n${i + 1}` }))];
      const parsed = FlowDocument.parse({
        format: FLOW_FORMAT,
        name: 'random',
        variables: initial === undefined ? [] : [{ name: 'x', initial }],
        nodes,
      });
      const free = new Map(parsed.nodes.map((n) => [n.id, outputHandles(n)]));
      const edges: { id: string; source: string; sourceHandle: string; target: string }[] = [];
      const connect = (source: string, sourceHandle: string, target: string) => {
        edges.push({ id: `e${edges.length + 1}`, source, sourceHandle, target });
        free.set(
          source,
          free.get(source)!.filter((h) => h !== sourceHandle),
        );
      };
      for (let i = 1; i < parsed.nodes.length; i++) {
        const parents = parsed.nodes.slice(0, i).filter((n) => free.get(n.id)!.length > 0);
        if (parents.length === 0) continue;
        const p = parents[pick(parents.length)];
        const hs = free.get(p.id)!;
        connect(p.id, hs[pick(hs.length)], parsed.nodes[i].id);
      }
      // Backward edges (cycles) only lead to nodes that wait for the caller, so no cycle spins forever.
      const waits = new Set(['menu', 'collectDigits', 'recordVoicemail']);
      parsed.nodes.forEach((n, i) => {
        for (const h of free.get(n.id)!) {
          if (pick(3) !== 0) continue;
          const j = pick(parsed.nodes.length);
          if (j > i || waits.has(parsed.nodes[j].type)) connect(n.id, h, parsed.nodes[j].id);
        }
      });
      return { ...parsed, edges };
    });
}
