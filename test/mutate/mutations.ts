// The listed mutations `npm run mutate` applies, one at a time: a fault a reviewer could plausibly
// make, in the words of the code it changes. `find` must occur exactly once in `file`; when edits
// elsewhere change that text the mutation is reported "stale" (neither killed nor survived) and
// should be refreshed here. `tests`: the test files (or folders) that should notice.

export interface Mutation {
  id: string;
  area: 'compiler' | 'interpreter' | 'call' | 'mail' | 'sip' | 'server';
  file: string;
  find: string;
  replace: string;
  tests: string[];
}

const FLOW = ['test/flow'];
const CGPL = ['test/cgpl'];
const GEN = ['test/generate', 'test/samples'];
const INTERP = ['test/interpreter'];
const CALL = ['test/call', 'test/interpreter', 'test/scenario'];
const MAIL = ['test/mail'];
const MEDIA = ['test/sip-media'];
const SIP_UNITS = ['test/sip/units.test.ts', 'test/sip/hours.test.ts'];
const SERVER = ['test/server/security.test.ts', 'test/server/api.test.ts', 'test/server/static.test.ts'];

export const MUTATIONS: Mutation[] = [
  // ── compiler: flow checks, CG/PL front end, generators, export ─────────────────────────────
  {
    id: 'flow-endkey-unchecked',
    area: 'compiler',
    file: 'compiler/flow/validate.ts',
    find: "if (!KEY.test(endKey)) error('endKey'",
    replace: "if (false) error('endKey'",
    tests: FLOW,
  },
  {
    id: 'flow-clear-equals-end',
    area: 'compiler',
    file: 'compiler/flow/validate.ts',
    find: "else if (clearKey !== '' && clearKey === endKey)",
    replace: "else if (clearKey !== '' && clearKey === endKey && false)",
    tests: FLOW,
  },
  {
    id: 'flow-menu-duplicate-digit',
    area: 'compiler',
    file: 'compiler/flow/validate.ts',
    find: 'else if (seen.has(option.digit))',
    replace: 'else if (false && seen.has(option.digit))',
    tests: FLOW,
  },
  {
    id: 'flow-mail-linebreak',
    area: 'compiler',
    file: 'compiler/flow/validate.ts',
    find: 'if (/[\\r\\n]/.test(d[field])) error(field',
    replace: 'if (/[\\r]/.test(d[field])) error(field',
    tests: FLOW,
  },
  {
    id: 'flow-unreachable-not-reported',
    area: 'compiler',
    file: 'compiler/flow/validate.ts',
    find: "out.push(nodeProblem(node, 'warning', 'id', 'unreachable from the start node', 'FLOW311'));",
    replace: '',
    tests: FLOW,
  },
  {
    id: 'cgpl-string-quote-unescaped',
    area: 'compiler',
    file: 'compiler/cgpl/strings.ts',
    find: `if (ch === '"') out += '\\\\"';`,
    replace: `if (ch === '"') out += '"';`,
    tests: CGPL,
  },
  {
    id: 'cgpl-eol-escape',
    area: 'compiler',
    file: 'compiler/cgpl/strings.ts',
    find: "export const EOL_ESCAPE = '\\n';",
    replace: "export const EOL_ESCAPE = '\\r\\n';",
    tests: [...CGPL, ...INTERP],
  },
  {
    id: 'cgpl-printer-right-operand-parens',
    area: 'compiler',
    file: 'compiler/cgpl/printer.ts',
    find: 'const right = wrap(e.right, prec(e.right) <= p);',
    replace: 'const right = wrap(e.right, prec(e.right) < p);',
    tests: CGPL,
  },
  {
    id: 'cgpl-printer-unary-minus-apart',
    area: 'compiler',
    file: 'compiler/cgpl/printer.ts',
    find: "return inner.startsWith('-') || inner.startsWith('+') ? `${e.op} ${inner}` : `${e.op}${inner}`;",
    replace: 'return `${e.op}${inner}`;',
    tests: CGPL,
  },
  {
    id: 'cgpl-unterminated-comment',
    area: 'compiler',
    file: 'compiler/cgpl/lexer.ts',
    find: `if (i >= n) error('CGPL103', startLine, col, "unterminated comment: '/*' has no closing '*/'");`,
    replace: '',
    tests: CGPL,
  },
  {
    id: 'gen-collect-endkey',
    area: 'compiler',
    file: 'compiler/generate/lowerNodes.ts',
    find: "if (data.endKey) exit = bin('or', exit, bin('==', name(input), str(data.endKey)));",
    replace: '',
    tests: GEN,
  },
  {
    id: 'gen-collect-maxdigits',
    area: 'compiler',
    file: 'compiler/generate/lowerNodes.ts',
    find: "if (data.maxDigits > 0) body.push(exitIf(id, bin('>=', fn('Length', name(digits)), num(data.maxDigits))));",
    replace:
      "if (data.maxDigits > 0) body.push(exitIf(id, bin('>', fn('Length', name(digits)), num(data.maxDigits))));",
    tests: GEN,
  },
  {
    id: 'gen-menu-retries',
    area: 'compiler',
    file: 'compiler/generate/lowerNodes.ts',
    find: "exitIf(id, bin('>=', name(tries), num(Math.max(1, data.retries)))),",
    replace: "exitIf(id, bin('>', name(tries), num(Math.max(1, data.retries)))),",
    tests: GEN,
  },
  {
    id: 'export-hidden-segment',
    area: 'compiler',
    file: 'compiler/export/files.ts',
    find: "export const safeSegment = (s: string) => s.length > 0 && !/[/\\\\\\0]/.test(s) && !s.startsWith('.');",
    replace: 'export const safeSegment = (s: string) => s.length > 0 && !/[/\\\\\\0]/.test(s);',
    tests: ['test/export', 'test/cli/compiler.test.ts'],
  },
  // Loops that never wait for the caller (issue 13) are errors.
  {
    id: 'flow-busy-loop-allowed',
    area: 'compiler',
    file: 'compiler/flow/cycles.ts',
    find: 'if (group.length === 1 && !next.get(first)!.includes(first)) continue;',
    replace: 'continue;',
    tests: ['test/flow/cycles.test.ts'],
  },
  {
    id: 'flow-menu-timeout-0-waits',
    area: 'compiler',
    file: 'compiler/flow/cycles.ts',
    find: 'return node.data.timeout > 0;',
    replace: 'return true;',
    tests: ['test/flow/cycles.test.ts'],
  },
  // Lowered flow nodes against the regex oracle (test/differential): the hours' edges, the keys.
  {
    id: 'lower-closing-time-inclusive',
    area: 'compiler',
    file: 'compiler/generate/lowerNodes.ts',
    find: "tests.push(bin('<', fn('TimeOfDay', now), num(to)))",
    replace: "tests.push(bin('<=', fn('TimeOfDay', now), num(to)))",
    tests: ['test/differential/hours.test.ts'],
  },
  {
    id: 'lower-opening-time-exclusive',
    area: 'compiler',
    file: 'compiler/generate/lowerNodes.ts',
    find: "tests.push(bin('>=', fn('TimeOfDay', now), num(from)))",
    replace: "tests.push(bin('>', fn('TimeOfDay', now), num(from)))",
    tests: ['test/differential/hours.test.ts'],
  },
  {
    id: 'lower-menu-no-cleardtmf',
    area: 'compiler',
    file: 'compiler/generate/lowerNodes.ts',
    find: "callStmt(id, 'ClearDTMF'), ",
    replace: '',
    tests: ['test/differential/keys.test.ts'],
  },
  {
    id: 'lower-clear-key-keeps-digits',
    area: 'compiler',
    file: 'compiler/generate/lowerNodes.ts',
    find: "body: [assign(id, digits, str('')), ...playPrompts(id, clearPrompts)]",
    replace: 'body: [...playPrompts(id, clearPrompts)]',
    tests: ['test/differential/keys.test.ts'],
  },
  {
    id: 'regex-bol-anchor',
    area: 'compiler',
    file: 'compiler/regex/vm.ts',
    find: `        case Op.Bol:
          if (pos === 0) {`,
    replace: `        case Op.Bol:
          if (pos >= 0) {`,
    tests: ['test/regex'],
  },

  // ── interpreter: values, operators, limits ─────────────────────────────────────────────────
  {
    id: 'interp-int64-wrap',
    area: 'interpreter',
    file: 'runtime/cgpl/values.ts',
    find: 'return BigInt.asIntN(64, n);',
    replace: 'return n;',
    tests: INTERP,
  },
  {
    id: 'interp-division-by-zero',
    area: 'interpreter',
    file: 'runtime/cgpl/operators.ts',
    find: `    case '/':
      if (y === 0n) fail('division by zero');`,
    replace: `    case '/':
      if (y === 0n) return 0n;`,
    tests: INTERP,
  },
  {
    id: 'interp-plus-null-allowed',
    area: 'interpreter',
    file: 'runtime/cgpl/operators.ts',
    find: "  if (typeof a === 'bigint' && typeof b === 'string') return a.toString() + b;",
    replace:
      "  if (typeof a === 'bigint' && typeof b === 'string') return a.toString() + b;\n  if (b === null) return a;",
    tests: INTERP,
  },
  {
    id: 'interp-compare-le',
    area: 'interpreter',
    file: 'runtime/cgpl/operators.ts',
    find: 'return truth(c <= 0);',
    replace: 'return truth(c < 0);',
    tests: INTERP,
  },
  {
    id: 'interp-xor',
    area: 'interpreter',
    file: 'runtime/cgpl/operators.ts',
    find: '  return truth(x !== y);\n}',
    replace: '  return truth(x || y);\n}',
    tests: INTERP,
  },
  {
    id: 'interp-step-budget',
    area: 'interpreter',
    file: 'runtime/cgpl/task.ts',
    find: "if (++this.steps > this.budget) throw new CgplError(BUDGET_MESSAGE, null, undefined, 'RUN404');",
    replace: '++this.steps;',
    tests: INTERP,
  },
  {
    id: 'interp-call-depth',
    area: 'interpreter',
    file: 'runtime/cgpl/expr.ts',
    find: 'if (task.depth >= MAX_CALL_DEPTH) {',
    replace: 'if (task.depth >= MAX_CALL_DEPTH * 1000) {',
    tests: INTERP,
  },
  {
    id: 'interp-array-append-only',
    area: 'interpreter',
    file: 'runtime/cgpl/access.ts',
    find: 'if (index < 0n || index > BigInt(obj.length)) {',
    replace: 'if (index < 0n) {',
    tests: INTERP,
  },

  // ── call: the rules every channel shares ───────────────────────────────────────────────────
  {
    id: 'call-playfile-skip-rule',
    area: 'call',
    file: 'runtime/call/input.ts',
    find: "if (this.buffer !== '' && this.interruptOnDtmf) return 'dtmf';",
    replace: '',
    tests: CALL,
  },
  {
    id: 'call-interrupt-flag-ignored',
    area: 'call',
    file: 'runtime/call/input.ts',
    find: "if (this.buffer !== '' && this.interruptOnDtmf) return 'dtmf';",
    replace: "if (this.buffer !== '') return 'dtmf';",
    tests: CALL,
  },
  {
    id: 'call-events-before-keys',
    area: 'call',
    file: 'runtime/call/input.ts',
    find: `  take(): Input | undefined {
    if (this.buffer !== '') {`,
    replace: `  take(): Input | undefined {
    if (this.events.length > 0) return this.events.shift();
    if (this.buffer !== '') {`,
    tests: CALL,
  },
  {
    id: 'call-no-disconnect-after-hangup',
    area: 'call',
    file: 'runtime/call/input.ts',
    find: "if (this.ended) return { what: 'Disconnect' };",
    replace: '',
    tests: CALL,
  },
  {
    id: 'call-dtmf-symbols',
    area: 'call',
    file: 'runtime/call/input.ts',
    find: 'const DTMF_SYMBOLS = /^[0-9*#A-D]$/;',
    replace: 'const DTMF_SYMBOLS = /^[0-9*#A-Z]$/;',
    tests: CALL,
  },
  {
    id: 'call-readinput-zero-waits',
    area: 'call',
    file: 'runtime/call/steps.ts',
    find: 'if (!(seconds > 0)) return null;',
    replace: '',
    tests: CALL,
  },
  {
    id: 'call-prompt-cut-by-keys-when-off',
    area: 'call',
    file: 'runtime/call/input.ts',
    find: "readonly cutsPrompt = (reason: CutReason): boolean => reason !== 'dtmf' || this.interruptOnDtmf;",
    replace: 'readonly cutsPrompt = (_reason: CutReason): boolean => true;',
    tests: CALL,
  },
  {
    id: 'call-virtual-clock-order',
    area: 'call',
    file: 'runtime/call/clock.ts',
    find: 'while (i > 0 && (this.timers[i - 1] as Timer).due > timer.due) i--;',
    replace: 'while (i > 0 && (this.timers[i - 1] as Timer).due >= timer.due) i--;',
    tests: ['test/call/clock.test.ts', 'test/call/trace.test.ts', 'test/scenario'],
  },

  // The CPU budget of a call (issue 13): a runaway is stopped, an ended call is not asked for ever.
  {
    id: 'call-budget-runaway-unchecked',
    area: 'call',
    file: 'runtime/call/budget.ts',
    find: 'if (ran > this.runawayMs) {',
    replace: 'if (false) {',
    tests: ['test/call/budget.test.ts'],
  },
  {
    id: 'call-budget-ended-call-unbounded',
    area: 'call',
    file: 'runtime/call/budget.ts',
    find: 'else if (this.wasConnected && ++this.afterEnd > this.afterEndOps) {',
    replace: 'else if (false) {',
    tests: ['test/call/budget.test.ts'],
  },

  // ── mail ────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'mail-bcc-not-reserved',
    area: 'mail',
    file: 'runtime/mail/compose.ts',
    find: "'mime-version', 'bcc']",
    replace: "'mime-version']",
    tests: MAIL,
  },
  {
    id: 'mail-content-header-allowed',
    area: 'mail',
    file: 'runtime/mail/compose.ts',
    find: 'if (RESERVED_HEADERS.has(name.toLowerCase()) || /^content-/i.test(name))',
    replace: 'if (RESERVED_HEADERS.has(name.toLowerCase()))',
    tests: MAIL,
  },
  {
    id: 'mail-relay-filed-sent-early',
    area: 'mail',
    file: 'runtime/mail/delivery.ts',
    find: "    if (entry?.status !== 'queued' || entry.owner?.mailer !== this.owner.mailer || !entry.envelope) return entry;",
    replace:
      "    if (entry?.status !== 'queued' || entry.owner?.mailer !== this.owner.mailer || !entry.envelope) return entry;\n    await this.outbox.update(id, (e) => ({ ...e, status: 'sent' }));",
    tests: MAIL,
  },
  {
    id: 'mail-refused-recipient-silent',
    area: 'mail',
    file: 'runtime/mail/delivery.ts',
    find: '      if (refused.length > 0)\n        next.error =',
    replace: '      if (false)\n        next.error =',
    tests: MAIL,
  },
  {
    id: 'mail-header-injection',
    area: 'mail',
    file: 'runtime/mail/compose.ts',
    find: 'const hasLineBreak = (s: string) => /[\\r\\n]/.test(s);',
    replace: 'const hasLineBreak = (s: string) => /\\r\\n/.test(s);',
    tests: MAIL,
  },
  {
    id: 'mail-from-one-address',
    area: 'mail',
    file: 'runtime/mail/compose.ts',
    find: 'if (from.length !== 1)',
    replace: 'if (from.length < 1)',
    tests: MAIL,
  },
  {
    id: 'mail-write-not-atomic',
    area: 'mail',
    file: 'runtime/fs/atomic.ts',
    find: '    await rename(tmp, target);\n',
    replace: '    await unlink(target).catch(() => undefined);\n    await rename(tmp, target);\n',
    tests: [...MAIL, 'test/fs'],
  },
  {
    id: 'mail-no-fsync',
    area: 'mail',
    file: 'runtime/fs/atomic.ts',
    find: '      await file.sync();\n',
    replace: '',
    tests: [...MAIL, 'test/fs'],
  },
  {
    id: 'mail-damaged-index-overwritten',
    area: 'mail',
    file: 'runtime/mail/outbox.ts',
    find: 'await rename(file, `${file}.damaged-${Date.now()}`).catch(ignoreMissing);',
    replace: '',
    tests: MAIL,
  },

  // ── SIP: media and message checks ──────────────────────────────────────────────────────────
  {
    id: 'sip-rtp-version',
    area: 'sip',
    file: 'runtime/sip/media/rtp.ts',
    find: 'if (b0 >> 6 !== 2) return null;',
    replace: '',
    tests: MEDIA,
  },
  {
    id: 'sip-rfc4733-dedup',
    area: 'sip',
    file: 'runtime/sip/media/rfc4733.ts',
    find: 'if (this.seen.includes(key)) return null;',
    replace: '',
    tests: MEDIA,
  },
  {
    id: 'sip-rfc4733-end-bit',
    area: 'sip',
    file: 'runtime/sip/media/rfc4733.ts',
    find: 'end: (payload[1]! & 0x80) !== 0,',
    replace: 'end: (payload[1]! & 0x40) !== 0,',
    tests: MEDIA,
  },
  {
    id: 'sip-pacer-catch-up',
    area: 'sip',
    file: 'runtime/sip/media/pacer.ts',
    find: 'const first = Math.max(this.nextSlot, due - this.maxCatchUp + 1);',
    replace: 'const first = this.nextSlot;',
    tests: MEDIA,
  },
  {
    id: 'sip-pacer-drift',
    area: 'sip',
    file: 'runtime/sip/media/pacer.ts',
    find: 'const wait = Math.max(0, this.slotTime(this.nextSlot) - this.now());',
    replace: 'const wait = this.intervalMs;',
    tests: MEDIA,
  },
  {
    id: 'sip-sdp-codec-order',
    area: 'sip',
    file: 'runtime/sip/sdp.ts',
    find: `      chosen = { codec, pt };
      break;`,
    replace: `      chosen = { codec, pt };`,
    tests: SIP_UNITS,
  },
  {
    id: 'sip-sdp-answer-direction',
    area: 'sip',
    file: 'runtime/sip/sdp.ts',
    find: "return offered === 'sendonly' ? 'recvonly' : offered === 'recvonly' ? 'sendonly' : offered;",
    replace: 'return offered;',
    tests: SIP_UNITS,
  },
  {
    id: 'sip-max-forwards-zero',
    area: 'sip',
    file: 'runtime/sip/message/validate.ts',
    find: "if (maxForwards === 0 && rq.method !== 'OPTIONS')",
    replace: 'if (false)',
    tests: [...SIP_UNITS, 'test/sip/robustness.test.ts'],
  },
  {
    id: 'sip-working-hours-end',
    area: 'sip',
    file: 'runtime/sip/routing.ts',
    find: 'return from <= to ? minutes >= from && minutes < to : minutes >= from || minutes < to;',
    replace: 'return from <= to ? minutes >= from && minutes <= to : minutes >= from || minutes < to;',
    tests: SIP_UNITS,
  },

  // ── server: what keeps the local server local ──────────────────────────────────────────────
  {
    id: 'server-token-prefix',
    area: 'server',
    file: 'runtime/server/security.ts',
    find: 'return a.length === b.length && timingSafeEqual(a, b);',
    replace: 'return b.subarray(0, a.length).equals(a);',
    tests: SERVER,
  },
  {
    id: 'server-foreign-origin',
    area: 'server',
    file: 'runtime/server/security.ts',
    find: 'return origin === undefined || origins.has(origin);',
    replace: 'return true;',
    tests: SERVER,
  },
  {
    id: 'server-dns-rebinding',
    area: 'server',
    file: 'runtime/server/security.ts',
    find: 'return host === undefined || ownOrigins(port).has(`http://${host}`);',
    replace: 'return true;',
    tests: SERVER,
  },
  {
    id: 'server-path-escape',
    area: 'server',
    file: 'runtime/server/security.ts',
    find: "return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));",
    replace: "return rel === '' || !isAbsolute(rel);",
    tests: SERVER,
  },
  // The WebSocket call caps: they hold, and the slot is taken before the first await.
  {
    id: 'server-ws-socket-cap-removed',
    area: 'server',
    file: 'runtime/server/ws/slots.ts',
    find: 'if (socket.used >= this.perSocket)',
    replace: 'if (false)',
    tests: ['test/server/caps.test.ts'],
  },
  {
    id: 'server-ws-slot-after-await',
    area: 'server',
    file: 'runtime/server/ws/connection.ts',
    find: `    const slot = this.deps.slots.reserve(this.mine);
    if (isCapHit(slot)) return this.send({ type: 'call.error', cap: slot.cap, error: slot.error });
    let running = false;
    try {
      const prepared = await prepareCall(this.deps.ctx, message);`,
    // The old bug: the cap checked before the await, the slot counted after it.
    replace: `    const probe = this.deps.slots.reserve(this.mine);
    if (isCapHit(probe)) return this.send({ type: 'call.error', cap: probe.cap, error: probe.error });
    probe.release();
    let running = false;
    const early = await prepareCall(this.deps.ctx, message);
    const slot = this.deps.slots.reserve(this.mine) as Slot;
    try {
      const prepared = early;`,
    tests: ['test/server/caps.test.ts'],
  },
];
