import { describe, expect, it } from 'vitest';
import { formatDiagnostic, parseCgpl, printCgpl, type EntryDecl, type Expr, type Stmt } from '../../compiler/cgpl';
import { errorFixtures, fixture, stripPos, validFixtures } from './helpers';

function parseOk(src: string) {
  const r = parseCgpl(src, 'test.sppr');
  expect(r.diagnostics.map((d) => formatDiagnostic(d))).toEqual([]);
  expect(r.program).not.toBeNull();
  return r.program!;
}

function body(src: string): Stmt[] {
  return (parseOk(src).decls[0] as EntryDecl).body;
}

/** The value expression of `x = <expr>;` */
function expr(src: string): Expr {
  const s = body(`entry Main is x = ${src}; end;`)[0];
  if (s.kind !== 'Assign') throw new Error('not an assignment');
  return stripPos(s.value);
}

function errors(src: string): string[] {
  return parseCgpl(src)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.line}:${d.column} ${d.message}`);
}

const N = (name: string) => ({ kind: 'Name', name });
const num = (v: number) => ({ kind: 'Number', value: BigInt(v) });
const bin = (op: string, left: unknown, right: unknown) => ({ kind: 'Binary', op, left, right });

describe('the seed program', () => {
  it('parses with no diagnostics into entry Main with the expected statements', () => {
    const program = parseOk(fixture('seed-callback.sppr'));
    expect(program.decls).toHaveLength(1);
    const main = program.decls[0] as EntryDecl;
    expect(main).toMatchObject({ kind: 'Entry', name: 'Main', style: 'basic', pos: { line: 5, col: 1 } });
    expect(main.body.map((s) => s.kind)).toEqual([
      'If',
      'CallStmt',
      'CallStmt',
      'CallStmt',
      'CallStmt',
      'Assign',
      'Loop',
      'If',
      'If',
    ]);
    const [accept] = main.body;
    expect(stripPos(accept)).toEqual({
      kind: 'If',
      branches: [
        {
          cond: bin(
            '!=',
            { kind: 'Call', callee: 'AcceptCall', module: null, args: [], method: false },
            { kind: 'NullLit' },
          ),
          body: [{ kind: 'Stop' }],
        },
      ],
      elseBody: null,
    });
    const loop = main.body[6];
    if (loop.kind !== 'Loop') throw new Error('expected the loop');
    expect(loop.body.map((s) => s.kind)).toEqual(['Assign', 'ExitIf', 'If', 'Assign']);
    expect(stripPos(loop.body[1])).toEqual({
      kind: 'ExitIf',
      cond: bin(
        'or',
        {
          kind: 'Unary',
          op: 'not',
          operand: { kind: 'Call', callee: 'IsString', module: null, args: [N('input')], method: false },
        },
        bin('==', N('input'), { kind: 'String', value: '#' }),
      ),
    });
    const mail = main.body[8];
    if (mail.kind !== 'If') throw new Error('expected the if');
    const send = mail.branches[0].cond;
    expect(send).toMatchObject({ kind: 'Binary', op: '!=', left: { kind: 'Call', callee: 'SendEmail' } });
    expect(send.kind === 'Binary' && send.left.kind === 'Call' && send.left.args).toHaveLength(5);
    expect(mail.elseBody).toHaveLength(1);
  });
});

describe('fixture programs', () => {
  for (const name of validFixtures()) {
    it(`${name} parses cleanly and prints to text that parses to the same tree`, () => {
      const program = parseOk(fixture(name));
      const printed = printCgpl(program).text;
      const again = parseOk(printed);
      expect(stripPos(again.decls.map((d) => ({ ...d, style: 'basic' })))).toEqual(
        stripPos(program.decls.map((d) => ({ ...d, style: 'basic' }))),
      );
      expect(printCgpl(again).text).toBe(printed);
    });
  }

  it('c-style.sppr records the C style and the same statements as basic style would', () => {
    const program = parseOk(fixture('c-style.sppr'));
    expect(program.decls.map((d) => [d.kind, 'name' in d && d.name, 'style' in d && d.style])).toEqual([
      ['Entry', 'Main', 'c'],
      ['Procedure', 'Greet', 'c'],
      ['Function', 'Twice', 'c'],
    ]);
    const main = program.decls[0] as EntryDecl;
    expect(main.body.map((s) => s.kind)).toEqual(['Var', 'If', 'For', 'While', 'Block', 'For']);
    const f = main.body[2];
    expect(f.kind === 'For' && [f.init?.kind, f.cond?.kind, f.step?.kind]).toEqual(['Var', 'Binary', 'Assign']);
    const last = main.body[5];
    expect(last.kind === 'For' && [last.init, last.step]).toEqual([null, null]);
  });

  it('procedures.sppr has forward, external, local and qualified and method calls', () => {
    const program = parseOk(fixture('procedures.sppr'));
    expect(
      program.decls.map((d) =>
        d.kind === 'Entry'
          ? d.name
          : d.kind === 'Procedure' || d.kind === 'Function'
            ? `${d.name}:${d.linkage}:${d.params.join(',')}`
            : d.kind,
      ),
    ).toEqual(['Ask:forward:prompt', 'SayNumber:external:n', 'Greet:local:', 'Ask:local:prompt', 'Main', 'Helper']);
    const main = program.decls[4] as EntryDecl;
    expect(stripPos(main.body[2])).toEqual({
      kind: 'CallStmt',
      call: {
        kind: 'Call',
        callee: 'SayNumber',
        module: null,
        method: false,
        args: [{ kind: 'Call', callee: 'length', module: null, method: true, args: [N('answer')] }],
      },
    });
    expect(main.body[3]).toMatchObject({ kind: 'CallStmt', call: { callee: 'Log', module: 'tools' } });
    expect(stripPos(main.body[5])).toMatchObject({
      kind: 'Assign',
      value: { kind: 'Spawn', entry: 'Helper', arg: N('answer') },
    });
    expect(stripPos(main.body[6])).toMatchObject({
      kind: 'Assign',
      value: { kind: 'Spawn', entry: 'Helper', arg: null },
    });
  });

  it('strings.sppr decodes escapes, byte sequences and joins adjacent literals', () => {
    const values = body(fixture('strings.sppr')).map((s) =>
      s.kind === 'Assign' && s.value.kind === 'String' ? s.value.value : null,
    );
    expect(values).toEqual([
      'say "hi" \\ there',
      '\r\n\t\n',
      'Привет',
      '😀A',
      'first second third',
      'Привет, 世界',
      '',
    ]);
  });
});

describe('expressions', () => {
  it('binds * / % tighter than + -, and + - tighter than comparisons', () => {
    expect(expr('1 + 2 * 3 < 4 - 5 % 6')).toEqual(
      bin('<', bin('+', num(1), bin('*', num(2), num(3))), bin('-', num(4), bin('%', num(5), num(6)))),
    );
  });
  it('puts all logical operators on one left-associative level', () => {
    expect(expr('a or b and c')).toEqual(bin('and', bin('or', N('a'), N('b')), N('c')));
    expect(expr('a and then b or else c xor d')).toEqual(
      bin('xor', bin('or else', bin('and then', N('a'), N('b')), N('c')), N('d')),
    );
    expect(expr('a & b | c ^ d && e || f')).toEqual(
      bin('||', bin('&&', bin('^', bin('|', bin('&', N('a'), N('b')), N('c')), N('d')), N('e')), N('f')),
    );
  });
  it('makes the ternary loosest and right-associative', () => {
    expect(expr('a or b ? 1 : c ? 2 : 3')).toEqual({
      kind: 'Ternary',
      cond: bin('or', N('a'), N('b')),
      then: num(1),
      otherwise: { kind: 'Ternary', cond: N('c'), then: num(2), otherwise: num(3) },
    });
  });
  it('applies unary operators to postfix expressions and folds negative literals', () => {
    expect(expr('not x.f(1)[2]')).toEqual({
      kind: 'Unary',
      op: 'not',
      operand: {
        kind: 'Index',
        object: { kind: 'Call', callee: 'f', module: null, method: true, args: [N('x'), num(1)] },
        index: num(2),
      },
    });
    expect(expr('-5 * 2')).toEqual(bin('*', num(-5), num(2)));
    expect(expr('- -x')).toEqual({ kind: 'Unary', op: '-', operand: { kind: 'Unary', op: '-', operand: N('x') } });
    expect(expr('-9223372036854775808')).toEqual({ kind: 'Number', value: -(2n ** 63n) });
    expect(expr('9223372036854775807')).toEqual({ kind: 'Number', value: 2n ** 63n - 1n });
  });
  it('reads members, computed keys, indexes and qualified names', () => {
    expect(expr('d.key.("Call-ID")[0]')).toEqual({
      kind: 'Index',
      index: num(0),
      object: {
        kind: 'Member',
        key: { kind: 'String', value: 'Call-ID' },
        object: { kind: 'Member', key: 'key', object: N('d') },
      },
    });
    expect(expr('TRUE')).toEqual({ kind: 'Bool', value: true });
  });
  it('rejects numbers that do not fit in 64 bits', () => {
    expect(errors('entry Main is x = 9223372036854775808; end;')).toEqual([
      '1:19 number 9223372036854775808 does not fit in a 64-bit integer',
    ]);
    expect(errors('entry Main is x = -9223372036854775809; end;')).toEqual([
      '1:20 number -9223372036854775809 does not fit in a 64-bit integer',
    ]);
  });
});

describe('statements', () => {
  it('accepts every assignment operator on names, d.key, d.(expr) and a[i]', () => {
    const ops = ['=', '+=', '-=', '*=', '/=', '%=', '|=', '&='];
    const stmts = body(
      `entry Main is ${ops.map((op, k) => `${['x', 'd.key', 'd.("k")', 'a[1]'][k % 4]} ${op} 1;`).join(' ')} end;`,
    );
    expect(stmts.map((s) => s.kind === 'Assign' && `${s.target.kind}${s.op}`)).toEqual(
      ops.map((op, k) => `${['Name', 'Member', 'Member', 'Index'][k % 4]}${op}`),
    );
  });
  it('reads null, stop, return and return with a value', () => {
    expect(body('entry Main is null; stop; return; return 1; end;').map((s) => stripPos(s))).toEqual([
      { kind: 'Null' },
      { kind: 'Stop' },
      { kind: 'Return', value: null },
      { kind: 'Return', value: num(1) },
    ]);
  });
  it('treats keywords case-insensitively but keeps the spelling of names', () => {
    const program = parseOk(
      'ENTRY main IS IF x THEN STOP; ELIF y THEN NULL; ELSE Loop ExitIf z; END LOOP; END IF; END ENTRY;',
    );
    expect(program.decls[0]).toMatchObject({ kind: 'Entry', name: 'main' });
  });
  it('needs end if / end loop: a bare end; does not close them', () => {
    expect(errors('entry Main is loop x = 1; end; end;')).toEqual([
      "1:27 expected 'end loop;' to close the loop at 1:15, found 'end;'",
      // the bare end; closed the entry instead, so the real one is left over
      "1:32 expected 'entry', 'procedure', 'function', 'var' or 'const', found 'end'",
    ]);
    expect(errors('entry Main is if x then stop; end loop; end;')[0]).toBe(
      "1:31 expected 'end if;' to close the if at 1:15, found 'end loop'",
    );
  });
  it('checks the closing word of a declaration', () => {
    expect(errors('procedure P() is stop; end function;')).toEqual([
      "1:28 expected 'end;' or 'end procedure;' to close procedure P (line 1), found 'end function'",
    ]);
  });
  it('rejects assigning to a call and calling a non-name', () => {
    expect(errors('entry Main is f() = 1; end;')).toEqual([
      '1:15 cannot assign to this expression: the target must be a name, d.key, d.(key) or a[i]',
    ]);
    expect(errors('entry Main is x = (a)(1); end;')).toEqual([
      '1:22 only a name can be called: write f(x), m::f(x) or x.f()',
    ]);
    expect(errors('entry Main is x == 1; end;')).toEqual([
      "1:17 expected an assignment or a procedure call, found '=='",
    ]);
  });
  it('reports a keyword used as a name', () => {
    expect(errors('entry loop is stop; end;')[0]).toBe(
      "1:7 expected a name after 'entry', found 'loop' ('loop' is a keyword)",
    );
  });
});

describe('malformed programs', () => {
  for (const name of errorFixtures()) {
    it(`${name} reports exactly the expected diagnostics`, () => {
      const src = fixture(name);
      const expected = [...src.matchAll(/\/\/ expect: (\d+):(\d+) (.*)$/gm)].map((m) => ({
        line: +m[1],
        col: +m[2],
        text: m[3],
      }));
      expect(expected.length).toBeGreaterThan(0);
      const r = parseCgpl(src, name);
      expect(r.program).toBeNull();
      const got = r.diagnostics.filter((d) => d.severity === 'error');
      expect(got.map((d) => `${d.line}:${d.column}`)).toEqual(expected.map((e) => `${e.line}:${e.col}`));
      got.forEach((d, k) => {
        expect(d.message.includes(expected[k].text), `${d.message} / ${expected[k].text}`).toBe(true);
      });
    });
  }

  it('formats diagnostics as file:line:column: severity CODE: message', () => {
    const d = parseCgpl(fixture('errors/missing-then.sppr'), 'callback.sppr').diagnostics[0];
    expect(formatDiagnostic(d)).toBe(
      "callback.sppr:3:14: error CGPL110: expected 'then' after the if condition, found 'PlayFile'",
    );
    expect(
      formatDiagnostic({ line: 2, column: 5, code: 'CGPL104', message: 'odd', severity: 'warning' }, 'a.sppr'),
    ).toBe('a.sppr:2:5: warning CGPL104: odd');
  });

  it('keeps the program when there are only warnings (invalid UTF-8 bytes)', () => {
    const r = parseCgpl('entry Main is x = "\\200"; end;');
    expect(r.diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'CGPL104',
        message: 'the bytes \\200 are not valid UTF-8; they read as U+FFFD',
        line: 1,
        column: 20,
      },
    ]);
    expect(r.program).not.toBeNull();
  });

  it('recovers at statement boundaries across nested bodies', () => {
    const src = [
      'entry Main {',
      '  if (x) { y = ; }',
      '  while (z) { 1; }',
      '  for (;;) { w(; }',
      '}',
      'procedure P( is end;',
      'entry Other is stop end;',
    ].join('\n');
    expect(errors(src)).toEqual([
      "2:16 expected an expression, found ';'",
      "3:16 expected an assignment or a procedure call, found ';'",
      "4:16 expected an expression, found ';'",
      "6:14 expected a name for a parameter of procedure P, found 'is' ('is' is a keyword)",
      "7:21 expected ';' after 'stop', found 'end'",
    ]);
  });

  it('stops after about 50 errors', () => {
    const r = parseCgpl('entry Main is\n' + 'x = ;\n'.repeat(200) + 'end;');
    expect(r.diagnostics.length).toBeLessThanOrEqual(51);
    expect(r.diagnostics[r.diagnostics.length - 1].message).toBe('too many errors; stopped here');
  });
});

describe('forms of real programs, in both styles', () => {
  it('qualified external declarations of functions and procedures, and forward ones', () => {
    const decls = parseOk(
      'function util::Split(sep, text) external;\nprocedure pbx_tools::Helper(a) external;\nfunction Later(x) forward;\n' +
        'entry Main is x = util::Split("/", "a/b"); pbx_tools::Helper(1); end;\nfunction Later(x) { return x; }',
    ).decls;
    expect(stripPos(decls.slice(0, 3))).toEqual([
      {
        kind: 'Function',
        name: 'Split',
        module: 'util',
        params: ['sep', 'text'],
        body: null,
        linkage: 'external',
        style: 'basic',
      },
      {
        kind: 'Procedure',
        name: 'Helper',
        module: 'pbx_tools',
        params: ['a'],
        body: null,
        linkage: 'external',
        style: 'basic',
      },
      { kind: 'Function', name: 'Later', params: ['x'], body: null, linkage: 'forward', style: 'basic' },
    ]);
    expect(errors('function m::f(x) is return x; end;')).toEqual([
      "1:18 expected 'external' after function m::f: a qualified name is only declared here, its code is in m.sppi",
    ]);
    expect(errors('entry m::Main is stop; end;')[0]).toMatch(/^1:8 expected 'is' or '\{'/);
  });

  it('`loop;` then statements, also after while and for headers (basic style); for (;;) in C style', () => {
    const basic = body(
      'entry Main is i = -1; loop; i += 1; exitif i > 2; end loop; while i < 5 loop; i += 1; end loop; for j = 0 while j < 2 by j += 1 loop; null; end loop; end;',
    );
    expect(basic.map((s) => s.kind)).toEqual(['Assign', 'Loop', 'While', 'For']);
    const loopStmt = basic[1];
    expect(loopStmt.kind === 'Loop' && loopStmt.body.map((s) => s.kind)).toEqual(['Assign', 'ExitIf']);
    const c = body('entry Main { i = -1; for (;;) { i += 1; exitif i > 2; } while (i < 5) { i += 1; } }');
    expect(c.map((s) => s.kind)).toEqual(['Assign', 'For', 'While']);
    // only one ';' is allowed there: a second one is a stray token
    expect(errors('entry Main is loop;; exitif true; end loop; end;')[0]).toMatch(/^1:20 expected a statement/);
  });

  it('top-level var (task variables, no initial value) and const (a value each), in either style of file', () => {
    const p = parseOk('var a, B;\nconst Max = 3, Name = "x";\nentry Main { a = Max; }\nentry Other is B = Name; end;');
    expect(stripPos(p.decls.slice(0, 2))).toEqual([
      { kind: 'TaskVar', names: [{ name: 'a' }, { name: 'B' }] },
      {
        kind: 'Const',
        decls: [
          { name: 'Max', value: num(3) },
          { name: 'Name', value: { kind: 'String', value: 'x' } },
        ],
      },
    ]);
    expect(errors('var a = 1;\nentry Main is null; end;')).toEqual([
      "1:7 task variable 'a' cannot have an initial value: assign it in a code section (or use const)",
    ]);
    expect(errors('const C;\nentry Main is null; end;')).toEqual(["1:8 constant 'C' needs a value: const C = ...;"]);
    expect(errors('entry Main is const C = 1; end;')).toEqual([
      "1:15 'const' declares constants outside code sections, before the first entry",
    ]);
  });

  it('keywords are never names: not variables, parameters, key names nor method names', () => {
    expect(errors('entry Main is var end; end;')[0]).toMatch(/^1:19 expected a name after 'var', found 'end'/);
    expect(errors('procedure P(loop) is null; end;')).toEqual([
      "1:13 expected a name for a parameter of procedure P, found 'loop' ('loop' is a keyword)",
    ]);
    expect(errors('entry Main is x = d.end; end;')).toEqual([
      `1:21 'end' is a keyword and cannot be a key or method name: write .("end") for the key`,
    ]);
    expect(errors('entry Main { d.If = 1; }')).toEqual([
      `1:16 'if' is a keyword and cannot be a key or method name: write .("if") for the key`,
    ]);
    expect(errors('entry Main is x.loop(); end;')[0]).toMatch(/^1:17 'loop' is a keyword/);
    expect(errors('entry Main is const = 1; end;')[0]).toMatch(/^1:15 'const' declares constants/);
    // the computed key is how such a key is written
    expect(expr('d.("end")')).toEqual({ kind: 'Member', object: N('d'), key: { kind: 'String', value: 'end' } });
    expect(printCgpl(parseOk('entry Main is x = d.("end"); end;')).text).toContain('x = d.("end");');
  });

  it('a qualified name is only called', () => {
    expect(errors('entry Main is x = m::x; end;')).toEqual([
      "1:23 expected '(' after m::x: a qualified name is a procedure or function to call",
    ]);
  });

  it('end entry; end procedure; end function; closers, return(x), Vars().("k") = v, chained method calls', () => {
    const p = parseOk(
      'entry Main is\n  Vars().("Call-ID") = "x";\n  y = F("a").ToLowerCase().ToUpperCase();\nend entry;\n' +
        'procedure P() is null; end procedure;\nfunction F(s) is return(s); end function;',
    );
    const [main] = p.decls as EntryDecl[];
    expect(main!.body[0]).toMatchObject({
      kind: 'Assign',
      target: { kind: 'Member', object: { kind: 'Call', callee: 'Vars' } },
    });
    expect(main!.body[1]).toMatchObject({
      kind: 'Assign',
      value: { kind: 'Call', callee: 'ToUpperCase', method: true },
    });
  });

  it('an empty else, and if (c) then in basic style', () => {
    const [s] = body('entry Main is if (x == 1) then y = 1; else end if; end;');
    expect(s).toMatchObject({ kind: 'If', elseBody: [] });
  });

  it('the same forms in a file written only in C style', () => {
    const p = parseOk(
      [
        'var count;',
        'const Limit = 2, Greeting = "hi";',
        'function util::Split(sep, text) external;',
        'procedure tools::Log(x) external;',
        'function Twice(x) forward;',
        'procedure Say(x) forward;',
        'entry Main {',
        '  count = 0;',
        '  for (;;) { count += 1; exitif count >= Limit; }',
        '  parts = util::Split("/", Greeting);',
        '  tools::Log(parts);',
        '  Say(Twice(count));',
        '  d = NewDictionary(); d.("end") = 1; d.ending = d.("end");',
        '}',
        'function Twice(x) { return x * 2; }',
        'procedure Say(x) { tools::Log(x); }',
      ].join('\n'),
    );
    expect(
      p.decls.map((d) => `${d.kind}${'linkage' in d ? `:${d.linkage}` : ''}${'style' in d ? `:${d.style}` : ''}`),
    ).toEqual([
      'TaskVar',
      'Const',
      'Function:external:basic',
      'Procedure:external:basic',
      'Function:forward:basic',
      'Procedure:forward:basic',
      'Entry:c',
      'Function:local:c',
      'Procedure:local:c',
    ]);
    const main = p.decls[6] as EntryDecl;
    expect(main.body.map((s) => s.kind)).toEqual([
      'Assign',
      'For',
      'Assign',
      'CallStmt',
      'CallStmt',
      'Assign',
      'Assign',
      'Assign',
    ]);
    expect(main.body[3]).toMatchObject({ kind: 'CallStmt', call: { callee: 'Log', module: 'tools' } });
    // the C-style errors read as the basic-style ones do
    expect(errors('function m::f(x) { return x; }')[0]).toMatch(/^1:18 expected 'external' after function m::f/);
    expect(errors('entry Main { x = d.end; }')).toEqual([
      `1:20 'end' is a keyword and cannot be a key or method name: write .("end") for the key`,
    ]);
    expect(errors('procedure P(while) { }')[0]).toMatch(
      /^1:13 expected a name for a parameter of procedure P, found 'while'/,
    );
    expect(errors('var x = 1;\nentry Main { }')[0]).toMatch(/^1:7 task variable 'x' cannot have an initial value/);
    expect(errors('entry Main { const C = 1; }')[0]).toMatch(/^1:14 'const' declares constants outside code sections/);
  });

  it('reports several errors per run', () => {
    const found = errors('var a = 1;\nentry Main is\n  x = d.end;\n  y = ;\n  if x then\nend;\nconst C;\n');
    expect(found.length).toBeGreaterThanOrEqual(4);
  });
});
