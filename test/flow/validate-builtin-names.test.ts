// A flow variable is a CG/PL variable: a name that matches a built-in (number, date, year, length …)
// is that built-in on the server, so the validator refuses it with the node, the name and a new name.
import { describe, expect, it } from 'vitest';
import { validateFlow, formatProblem } from '../../compiler/flow';
import { BUILTIN_SPECS } from '../../compiler/cgpl/builtins';
import { around, errors } from './helpers';

const ISSUE_NAMES = ['number', 'date', 'year', 'length', 'record', 'string', 'min', 'max'];

describe('flow variables named like CG/PL built-ins', () => {
  it.each(ISSUE_NAMES)('refuses a collectDigits variable named %s with FLOW341, the node and a suggestion', (name) => {
    const found = errors(validateFlow(around({ id: 'digits', type: 'collectDigits', data: { variable: name } })));
    expect(found).toHaveLength(1);
    const [p] = found;
    expect(p).toMatchObject({ code: 'FLOW341', nodeId: 'digits', nodeType: 'collectDigits', field: 'variable' });
    const suggestion = `my${name[0]!.toUpperCase()}${name.slice(1)}`;
    expect(p!.message).toContain(`'${name}'`);
    expect(p!.message).toContain(`'${suggestion}'`);
    expect(formatProblem(p!, 'flow.json')).toMatch(
      /^flow\.json: node digits \(collectDigits\) field variable: error FLOW341: variable '/,
    );
  });

  it('is case-insensitive, like CG/PL names, and covers setVariable, recordVoicemail and declared variables', () => {
    const node = (type: string, variable: string) => around({ id: 'n', type, data: { variable, value: 'x' } });
    expect(errors(validateFlow(node('setVariable', 'NUMBER'))).map((p) => p.code)).toEqual(['FLOW341']);
    expect(errors(validateFlow(node('recordVoicemail', 'Record'))).map((p) => p.code)).toEqual(['FLOW341']);
    const declared = validateFlow(around({ id: 'n', type: 'play', data: {} }, { variables: [{ name: 'Main' }] }));
    // main is not a built-in (it is the entry's name, and entries are not variables): allowed
    expect(errors(declared)).toEqual([]);
    const bad = validateFlow(around({ id: 'n', type: 'play', data: {} }, { variables: [{ name: 'Substring' }] }));
    expect(errors(bad)).toEqual([expect.objectContaining({ code: 'FLOW341', field: 'variables[0].name' })]);
  });

  it('suggests a name that is free: not another flow variable, not a built-in', () => {
    const flow = around(
      { id: 'n', type: 'collectDigits', data: { variable: 'number' } },
      { variables: [{ name: 'myNumber' }] },
    );
    const [p] = errors(validateFlow(flow)).filter((x) => x.code === 'FLOW341');
    expect(p!.message).toContain("'myNumber2'");
  });

  it('every PBX or plain CG/PL built-in name is refused, no WebApp-only one is', () => {
    for (const spec of BUILTIN_SPECS) {
      const found = errors(
        validateFlow(around({ id: 'n', type: 'setVariable', data: { variable: spec.name, value: '' } })),
      );
      const webOnly = spec.environments.length === 1 && spec.environments[0] === 'webapp';
      expect(
        found.some((p) => p.code === 'FLOW341'),
        spec.name,
      ).toBe(!webOnly);
    }
  });
});
