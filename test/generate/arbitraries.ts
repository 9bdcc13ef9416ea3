// fast-check arbitraries of small valid-shaped flows, for the generator tests and for the runtime's
// differential tests (interpret the CG/PL, run the JS, compare the calls).
import fc from 'fast-check';
import { FLOW_FORMAT, FlowDocument, outputHandles, type FlowNode } from '../../compiler/flow/schema';

/** What node data is drawn from: arbitraryFlow's ordinary pools, or NASTY's. */
export interface Pools {
  prompt: fc.Arbitrary<string>;
  /** Variables set by collectDigits and setVariable, read by templates and conditions. */
  variable: fc.Arbitrary<string>;
  /** What a condition tests (may also name a built-in: caller, account, domain). */
  tested: fc.Arbitrary<string>;
  recording: fc.Arbitrary<string>;
  text: fc.Arbitrary<string>;
  pattern: fc.Arbitrary<string>;
  label: fc.Arbitrary<string | undefined>;
  zone: fc.Arbitrary<string>;
  hhmm: fc.Arbitrary<string>;
  holiday: fc.Arbitrary<string>;
}

const variable = fc.constantFrom('digits', 'choice', 'next', 'Digits', 'caller_id', 'input', 'x');
const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 30))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

export const ORDINARY: Pools = {
  prompt: fc.constantFrom('Welcome', 'MainMenu', 'Invalid', 'NoInput', 'Goodbye', 'CallbackNumber', 'Привет'),
  variable,
  tested: variable,
  recording: fc.constantFrom('recording', 'rec'),
  text: fc.string({ maxLength: 8 }),
  pattern: fc.constantFrom('^[0-9]+$', '5*'),
  label: fc.constant(undefined),
  zone: fc.constantFrom('', 'Europe/Moscow', 'America/New_York'),
  hhmm,
  holiday: fc.constantFrom('2025-01-01', '2025-12-31', 'bad'),
};

const template = (p: Pools) =>
  fc
    .array(
      fc.oneof(
        p.text,
        p.variable.map((v) => `{{${v}}}`),
        fc.constantFrom('{{domain}}', '{{account}}', '{{caller}}'),
      ),
      { maxLength: 4 },
    )
    .map((parts) => parts.join(''));
const digit = fc.constantFrom('0', '1', '2', '3', '9', '*', '#');
const withLabel = <T extends object>(p: Pools, data: fc.Arbitrary<T>) =>
  fc.tuple(data, p.label).map(([d, label]) => (label === undefined ? d : { ...d, label }));

/** One node's type and data (ids and wiring are added by arbitraryFlow). */
export function nodeBody(p: Pools = ORDINARY): fc.Arbitrary<Omit<FlowNode, 'id' | 'position'>> {
  const prompts = fc.array(p.prompt, { maxLength: 3 });
  const t = template(p);
  const node = <K extends string, T extends object>(type: K, data: fc.Arbitrary<T>) =>
    fc.record({ type: fc.constant(type), data: withLabel(p, data) });
  return fc.oneof(
    node('play', fc.record({ prompts, interruptible: fc.boolean() })),
    node(
      'menu',
      fc.record({
        prompts,
        options: fc.uniqueArray(digit, { maxLength: 4 }).map((ds) => ds.map((d) => ({ digit: d }))),
        timeout: fc.integer({ min: 0, max: 10 }),
        retries: fc.integer({ min: 0, max: 3 }),
        invalidPrompts: prompts,
        noInputPrompts: prompts,
        replayAnnouncement: fc.boolean(),
      }),
    ),
    node(
      'collectDigits',
      fc.record({
        prompts,
        endKey: fc.constantFrom('#', '', '*'),
        clearKey: fc.constantFrom('*', ''),
        clearPrompts: prompts,
        maxDigits: fc.integer({ min: 0, max: 12 }),
        firstDigitTimeout: fc.integer({ min: 0, max: 20 }),
        interDigitTimeout: fc.integer({ min: 0, max: 20 }),
        variable: p.variable,
      }),
    ),
    node(
      'sendEmail',
      fc.record({
        from: t,
        to: t,
        subject: t,
        body: t,
        attachRecording: fc.oneof(fc.constant(''), p.recording),
      }),
    ),
    node(
      'businessHours',
      fc.record({
        timeZone: p.zone,
        schedule: fc.array(
          fc.record({
            days: fc.subarray(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const),
            from: p.hhmm,
            to: p.hhmm,
          }),
          { maxLength: 2 },
        ),
        holidays: fc.array(p.holiday, { maxLength: 2 }),
      }),
    ),
    node(
      'transfer',
      fc.record({
        target: fc.oneof(fc.constantFrom('', 'ivanov', 'sip:200@company.com'), t),
        mode: fc.constantFrom('connect' as const, 'blind' as const, 'redirect' as const),
        ringSeconds: fc.constantFrom(1, 5, 20),
      }),
    ),
    node(
      'condition',
      fc.record({
        variable: p.tested,
        operator: fc.constantFrom('equals' as const, 'matches' as const, 'empty' as const),
        value: fc.oneof(t, p.pattern),
      }),
    ),
    node('setVariable', fc.record({ variable: p.variable, value: t })),
    node(
      'recordVoicemail',
      fc.record({ prompts, maxSeconds: fc.integer({ min: 1, max: 120 }), variable: p.recording }),
    ),
    node('hangup', fc.constant({})),
  ) as fc.Arbitrary<Omit<FlowNode, 'id' | 'position'>>;
}

export const arbitraryNodeBody = nodeBody(ORDINARY);

/**
 * A flow of a start node and up to `maxNodes` others. Each node hangs off an earlier node's free
 * output when one is left (so most nodes are reachable); remaining outputs are left open or wired
 * on — backward edges (to a menu, collectDigits or recordVoicemail) make cycles, shared targets joins.
 */
export function arbitraryFlow(
  maxNodes = 8,
  pools: Pools = ORDINARY,
  /** Node ids (the start's first); default start, n1, n2 … */
  ids: fc.Arbitrary<string[]> = fc.constant(['start', ...Array.from({ length: maxNodes }, (_, i) => `n${i + 1}`)]),
): fc.Arbitrary<FlowDocument> {
  return fc
    .record({
      bodies: fc.array(nodeBody(pools), { maxLength: maxNodes }),
      wiring: fc.array(fc.nat(), { minLength: 4 * maxNodes + 8, maxLength: 4 * maxNodes + 8 }),
      initial: fc.option(fc.string({ maxLength: 6 }), { nil: undefined }),
      ids,
    })
    .map(({ bodies, wiring, initial, ids }) => {
      let w = 0;
      const pick = (n: number) => wiring[w++ % wiring.length] % n;
      const nodes = [{ id: ids[0], type: 'start', data: {} }, ...bodies.map((b, i) => ({ ...b, id: ids[i + 1] }))];
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

// ── nasty names ────────────────────────────────────────────────────────────────────────────────
// Words that break a careless generator: CG/PL keywords and built-in names, the generated code's own
// helper names, JS specials, quotes, backslashes, comment markers, line breaks, Unicode.
const NASTY_WORDS = [
  'if',
  'end',
  'entry',
  'Main',
  'stop',
  'null',
  'Number',
  'Length',
  'ReadInput',
  'PlayFile',
  'Void',
  'next',
  'choice',
  'constructor',
  '__proto__',
  'await',
  'Привет',
  '日本語',
  '😀',
  'é',
  'a"b',
  "it's",
  'back\\slash',
  'x\ny',
  '/* c */',
  '*/',
  '// c',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a JS template's syntax, as text, on purpose
  '${x}',
  '`t`',
  '\t',
];

const dtmfPattern = fc
  .array(
    fc.tuple(
      fc.constantFrom(
        '1',
        '2',
        '#',
        '\\*',
        '.',
        '[0-9]',
        '[[:digit:]]',
        '[^5]',
        '[*#]',
        '(1|2)',
        '[]1]',
        '[[:punct:]]',
      ),
      fc.constantFrom('', '', '*', '+', '?', '{2}', '{1,3}', '{2,}'),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .chain((atoms) =>
    fc
      .tuple(fc.boolean(), fc.boolean())
      .map(([bol, eol]) => `${bol ? '^' : ''}${atoms.map(([a, q]) => a + q).join('')}${eol ? '$' : ''}`),
  );

export const NASTY: Pools = {
  prompt: fc.constantFrom(
    'Welcome',
    'if',
    'Main',
    'PlayFile',
    'Привет',
    '😀',
    'a"b',
    "it's",
    'dir/Welcome',
    'x y',
    '*/',
  ),
  // keywords and built-in names too: the validator refuses them (FLOW340/341), the generator renames
  // them, and both targets must still do what the oracle does with the flow's own names
  variable: fc.constantFrom(
    'end',
    'Number',
    'length',
    'Void',
    'digits',
    'DIGITS',
    'ввод',
    'my var',
    'x-y',
    '9lives',
    '_x',
    'next',
    'input',
    'choice',
    'tries',
    'target',
    'now',
    'constructor',
    '__proto__',
    'toString',
    'x',
  ),
  tested: fc.constantFrom(
    'digits',
    'ввод',
    'my var',
    'next',
    'constructor',
    'x',
    'caller',
    'account',
    'domain',
    '',
    'end',
    'Number',
    'length',
  ),
  recording: fc.constantFrom('recording', 'rec', 'Запись', 'my recording'),
  text: fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 5 }),
    fc.constantFrom(...NASTY_WORDS),
    fc.constantFrom('{{{{', '{{', '}}', '{{}}', '{{ digits }}', '{{unknown}}', '\\', '"', '\n', '\u0000'),
  ),
  pattern: fc.oneof(
    fc.constantFrom(
      '^[[:digit:]]+$',
      '^[[:alpha:]]+$',
      '^[[:digit:]]{3,}$',
      '^[0-9*#]+$',
      '^[^[:space:]]+$',
      '[]a]',
      '^(1+)+2$',
      '^$',
      '[[:alnum:]_]',
      // JS habits: refused (never match) or literal in brackets
      '\\d+',
      '^[\\d]+$',
      'a+?',
      '(',
      '',
    ),
    dtmfPattern,
  ),
  label: fc.option(fc.constantFrom(...NASTY_WORDS, 'end if;', 'a\r\nb'), { nil: undefined }),
  zone: fc.constantFrom('', 'Europe/Moscow', 'America/New_York', 'Asia/Tokyo', 'UTC'),
  hhmm: fc.oneof(
    hhmm,
    fc.constantFrom('23:00', '22:59', '20:00', '09:00', '18:00', '00:00', '24:00', '7:00', ' 09:00'),
  ),
  holiday: fc.constantFrom('2026-11-29', '2026-11-30', ' 2026-11-30', '2025-12-31', '2026-13-01', 'bad'),
};

const NASTY_IDS = [
  'start',
  'Main',
  'if',
  'end',
  'ReadInput',
  'Number',
  'next',
  'узел',
  '日本',
  '😀',
  'a"b',
  "it's",
  'a\\b',
  'x\ny',
  '*/',
  '__proto__',
  'constructor',
  '1',
  'a b',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a JS template's syntax, as text, on purpose
  '${x}',
];

/** A flow whose ids, labels, prompts, variables and texts are nasty, with bracket-class patterns. */
export function arbitraryNastyFlow(maxNodes = 8): fc.Arbitrary<FlowDocument> {
  const ids = fc.shuffledSubarray(NASTY_IDS, { minLength: maxNodes + 1, maxLength: maxNodes + 1 });
  return fc
    .tuple(arbitraryFlow(maxNodes, NASTY, ids), fc.constantFrom('', 'Europe/Moscow', 'Asia/Tokyo'))
    .map(([flow, timeZone]) => ({ ...flow, environment: { ...flow.environment, timeZone } }));
}
