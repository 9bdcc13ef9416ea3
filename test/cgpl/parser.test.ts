import { describe, expect, it } from 'vitest';
import { formatDiagnostic, parseCgpl, printCgpl, type EntryDecl, type Expr, type Stmt } from '../../compiler/cgpl';
import { errorFixtures, fixture, stripPos, validFixtures } from './helpers';

function parseOk(src: string) {
  const r = parseCgpl(src, 'test.sppr');
  expect(r.diagnostics.map((d) => formatDiagnostic('test.sppr', d))).toEqual([]);
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
    .map((d) => `${d.line}:${d.col} ${d.message}`);
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
    expect(program.decls.map((d) => [d.kind, d.name, d.style])).toEqual([
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
      program.decls.map((d) => (d.kind === 'Entry' ? d.name : `${d.name}:${d.linkage}:${d.params.join(',')}`)),
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
    expect(expr('m::x')).toEqual(N('m::x'));
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
      "1:32 expected 'entry', 'procedure' or 'function', found 'end'",
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
      expect(got.map((d) => `${d.line}:${d.col}`)).toEqual(expected.map((e) => `${e.line}:${e.col}`));
      got.forEach((d, k) => {
        expect(d.message.includes(expected[k].text), `${d.message} / ${expected[k].text}`).toBe(true);
      });
    });
  }

  it('formats diagnostics as file:line:col: message', () => {
    const d = parseCgpl(fixture('errors/missing-then.sppr')).diagnostics[0];
    expect(formatDiagnostic('callback.sppr', d)).toBe(
      "callback.sppr:3:14: expected 'then' after the if condition, found 'PlayFile'",
    );
    expect(formatDiagnostic('a.sppr', { line: 2, col: 5, message: 'odd', severity: 'warning' })).toBe(
      'a.sppr:2:5: warning: odd',
    );
  });

  it('keeps the program when there are only warnings (invalid UTF-8 bytes)', () => {
    const r = parseCgpl('entry Main is x = "\\200"; end;');
    expect(r.diagnostics).toEqual([
      { line: 1, col: 20, severity: 'warning', message: 'the bytes \\200 are not valid UTF-8; they read as U+FFFD' },
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
