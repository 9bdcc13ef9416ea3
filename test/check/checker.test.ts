// The checker's rules beyond the built-in table: names, declarations, environments, modules.
import { describe, expect, it } from 'vitest';
import { parseCgpl, type Program } from '../../compiler/cgpl';
import { checkCgpl, type CheckOptions } from '../../compiler/cgpl/check';

function parse(text: string, file = 'x.sppr'): Program {
  const { program, diagnostics } = parseCgpl(text, file);
  expect(diagnostics).toEqual([]);
  return program!;
}

/** `code line:column message` for each diagnostic. */
function check(text: string, options: CheckOptions = {}): string[] {
  const file = options.file ?? 'x.sppr';
  return checkCgpl(parse(text, file), { file, ...options }).diagnostics.map(
    (d) => `${d.code} ${d.line}:${d.column} ${d.message}`,
  );
}
const codes = (text: string, options: CheckOptions = {}) => check(text, options).map((l) => l.split(' ', 2).join(' '));

describe('names', () => {
  it('a variable named like a built-in, in any case, is refused once per section with a suggestion', () => {
    expect(check('entry Main is\n  Number = 1;\n  x = number + 1;\nend;')).toEqual([
      "CGPL205 2:3 'Number' is the built-in function Number, not a variable: rename it (e.g. 'myNumber')",
    ]);
    expect(codes('entry Main is\n  var length = 1;\nend;')).toEqual(['CGPL205 2:7']);
    expect(codes('entry Main is\n  x = date;\nend;')).toEqual(['CGPL205 2:7']);
  });

  it('parameters, task variables, constants and sections may not take a built-in name either', () => {
    expect(codes('procedure P(record) is\n  null;\nend;\nentry Main is P(1); end;')).toEqual(['CGPL205 1:1']);
    expect(codes('var Min;\nentry Main is null; end;')).toEqual(['CGPL205 1:5']);
    expect(codes('const Max = 3;\nentry Main is null; end;')).toEqual(['CGPL205 1:7']);
    expect(codes('function Length(x) is\n  return 1;\nend;\nentry Main is x = Length(1); end;')).toEqual([
      'CGPL205 1:1',
    ]);
  });

  it('a variable may not be named like a section of the program', () => {
    expect(check('procedure Greet() is null; end;\nentry Main is\n  greet = 1;\nend;')).toEqual([
      "CGPL205 3:3 'greet' is a procedure of this program, not a variable: rename it (e.g. 'myGreet')",
    ]);
  });

  it('built-ins of another environment are ordinary names there (a WebApp may have a variable "record")', () => {
    expect(check('entry main is\n  record = 1;\n  SetHTTPResponseCode(200);\nend;', { file: 'x.wcgp' })).toEqual([]);
  });
});

describe('environments', () => {
  it('a PBX built-in in a WebApp file and a WebApp built-in in a PBX program are refused', () => {
    expect(check('entry main is\n  PlayFile("x");\nend;', { file: 'page.wcgp' })).toEqual([
      "CGPL206 2:3 'PlayFile' is a PBX built-in: a WebApp has none",
    ]);
    expect(check('entry Main is\n  SetHTTPResponseCode(200);\nend;')).toEqual([
      "CGPL206 2:3 'SetHTTPResponseCode' is a WebApp built-in: a PBX application has none",
    ]);
  });

  it('plain CG/PL built-ins exist everywhere; RemoteIPAddress in both PBX and WebApp; .scgp has only plain ones', () => {
    for (const file of ['a.sppr', 'a.sppi', 'a.wcgp', 'a.wcgi', 'a.scgp'])
      expect(check('entry Main is\n  x = Length("abc");\nend;', { file }), file).toEqual([]);
    for (const file of ['a.sppr', 'a.wcgp'])
      expect(check('entry Main is x = RemoteIPAddress(); end;', { file })).toEqual([]);
    expect(codes('entry Main is x = RemoteIPAddress(); end;', { file: 'a.scgp' })).toEqual(['CGPL206 1:19']);
    expect(codes('entry Main is PlayFile("x"); end;', { file: 'x.txt', environment: 'webapp' })).toEqual([
      'CGPL206 1:15',
    ]);
  });
});

describe('declarations', () => {
  it('forward declarations must be defined, and match', () => {
    expect(codes('function F(a) forward;\nentry Main is x = F(1); end;')).toEqual(['CGPL208 1:1']);
    // the definition that does not match is refused, so the forward one stays undefined
    expect(codes('function F(a) forward;\nprocedure F(a) is null; end;\nentry Main is x = F(1); end;')).toEqual([
      'CGPL208 1:1',
      'CGPL208 2:1',
    ]);
    expect(check('function F(a) forward;\nentry Main is x = F(1); end;\nfunction F(b) is return b; end;')).toEqual([]);
  });

  it('twice-declared sections, entries, parameters and task names', () => {
    expect(codes('entry Main is null; end;\nentry main is null; end;')).toEqual(['CGPL207 2:1']);
    expect(codes('procedure P(a, A) is null; end;\nentry Main is P(1, 2); end;')).toEqual(['CGPL207 1:1']);
    expect(codes('var a;\nconst A = 1;\nentry Main is null; end;')).toEqual(['CGPL207 2:7']);
    expect(codes('var t;\nentry Main is\n  var t = 1;\nend;')).toEqual(['CGPL207 3:7']);
  });

  it('exitif outside a loop, a returned value outside a function', () => {
    expect(codes('entry Main is\n  exitif true;\nend;')).toEqual(['CGPL210 2:3']);
    expect(check('entry Main is\n  loop exitif true; end loop;\nend;')).toEqual([]);
    expect(codes('procedure P() is\n  return 1;\nend;\nentry Main is P(); return 2; end;')).toEqual([
      'CGPL211 2:3',
      'CGPL211 4:20',
    ]);
  });

  it('constants: a value from literals and earlier constants; never assigned', () => {
    expect(check('const A = 2, B = -A * 3 + 1, C = "x" + "y";\nentry Main is x = B; end;')).toEqual([]);
    expect(codes('const A = Length("x");\nentry Main is null; end;')).toEqual(['CGPL215 1:11']);
    expect(codes('const A = B, B = 1;\nentry Main is null; end;')).toEqual(['CGPL215 1:11']);
    expect(codes('const A = 1;\nentry Main is\n  A = 2;\nend;')).toEqual(['CGPL212 3:3']);
  });

  it('spawn needs an entry of the program', () => {
    expect(codes('entry Main is\n  t = spawn Worker(1);\nend;')).toEqual(['CGPL213 2:7']);
    expect(check('entry Worker is null; end;\nentry Main is\n  t = spawn Worker(1);\nend;')).toEqual([]);
  });
});

describe('modules', () => {
  const modules = (texts: Record<string, string>) => (name: string) =>
    texts[name] ? parseCgpl(texts[name]!).program : null;

  it('external declarations, plain (module = the name) and qualified (module::name), resolve in name.sppi', () => {
    const text =
      'procedure playNumber(n) external;\nfunction util::Twice(x) external;\nentry Main is\n  playNumber(util::Twice(2));\nend;';
    const ok = modules({
      playnumber: 'procedure playNumber(n) is SysLog(String(n)); end;',
      util: 'function Twice(x) is return x * 2; end;',
    });
    expect(check(text, { modules: ok })).toEqual([]);
  });

  it('a missing module or definition, or one that differs, is CGPL209 at the first call', () => {
    const text = 'function util::Twice(x) external;\nentry Main is\n  x = util::Twice(2);\n  y = util::Twice(3);\nend;';
    expect(codes(text, { modules: () => null })).toEqual(['CGPL209 3:7']);
    expect(check(text, { modules: modules({ util: 'function Twice(x, y) is return x; end;' }) })[0]).toMatch(
      /CGPL209 3:7 external 'util::Twice' does not match its definition in util\.sppi/,
    );
    expect(codes(text, { modules: modules({ util: 'function Other(x) is return x; end;' }) })).toEqual(['CGPL209 3:7']);
  });

  it('a qualified call needs its external declaration', () => {
    expect(check('entry Main is\n  x = util::Twice(2);\nend;')).toEqual([
      "CGPL214 2:7 'util::Twice' is not declared: write 'function util::Twice(...) external;' before the code that calls it",
    ]);
  });

  it('errors inside a module name the module file', () => {
    const r = checkCgpl(parse('procedure Bad() external;\nentry Main is Bad(); end;'), {
      file: 'main.sppr',
      modules: modules({ bad: 'procedure Bad() is\n  Foo();\nend;' }),
    });
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'CGPL201', file: 'bad.sppi', line: 2, column: 3 })]);
  });

  it('calls: unknown names, user arity, user procedure/function use', () => {
    expect(codes('entry Main is\n  Foo(1);\n  x = Bar();\nend;')).toEqual(['CGPL201 2:3', 'CGPL201 3:7']);
    const text =
      'function F(a) is return a; end;\nprocedure P() is null; end;\nentry Main is\n  F(1);\n  x = P();\n  x = F();\nend;';
    expect(codes(text)).toEqual(['CGPL203 4:3', 'CGPL204 5:7', 'CGPL202 6:7']);
    expect(check('function F(a) is return a; end;\nentry Main is Void(F(1)); end;')).toEqual([]);
  });

  it('method style x.f(a) is checked as f(x, a)', () => {
    expect(codes('entry Main is\n  s = "abc";\n  x = s.Substring(1);\n  s.AddElement(1);\nend;')).toEqual([
      'CGPL202 3:7',
    ]);
  });
});

describe('any program', () => {
  it('the checker never fails on its own (no CGPL299), whatever the program, in every environment', async () => {
    const fc = (await import('fast-check')).default;
    const { programArb } = await import('../cgpl/arbitrary');
    fc.assert(
      fc.property(programArb, fc.constantFrom('x.sppr', 'x.wcgp', 'x.scgp'), (program, file) => {
        const r = checkCgpl(program, { file, modules: (name) => (name === 'x' ? program : null) });
        for (const d of r.diagnostics) {
          expect(d.code).toMatch(/^CGPL2[0-8]\d$/);
          expect(d.message).not.toBe('');
        }
      }),
      { numRuns: 300 },
    );
  });
});
