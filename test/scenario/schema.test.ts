import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseScenario } from '../../runtime/scenario/schema';

const FILE = 'samples/callback/scenarios/types-number.scenario.json';

describe('parseScenario', () => {
  it('fills in defaults', () => {
    const { scenario, errors } = parseScenario(
      JSON.stringify({ name: 'n', program: '../flow.json', expect: {} }),
      FILE,
    );
    expect(errors).toEqual([]);
    expect(scenario).toMatchObject({ target: 'cgpl', smtp: 'up', caller: [] });
  });

  it('says which file and which field is wrong', () => {
    const { scenario, errors } = parseScenario(
      JSON.stringify({
        name: 'bad',
        program: 'flow.json',
        smtp: 'sideways',
        at: 'Sunday night',
        caller: [{ wait: 500 }, { dtmf: '12x' }, { wait: 1, dtmf: '1' }, { hangup: false }],
        expect: { email: { status: 'sent' }, prompt: ['X'] },
      }),
      FILE,
    );
    expect(scenario).toBeNull();
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^samples\/callback\/scenarios\/types-number\.scenario\.json: at smtp: .*"up".*"down"/),
        expect.stringMatching(/: at at: not a date and time/),
        expect.stringMatching(/: at caller\[1\]\.dtmf: only DTMF keys/),
        expect.stringMatching(/: at caller\[2\]: a caller step is one of/),
        expect.stringMatching(/: at caller\[3\]\.hangup: /),
        expect.stringMatching(/: at expect\.email\.status: .*"queued".*"failed"/),
        expect.stringMatching(/: at expect: .*"prompt"/),
      ]),
    );
    expect(errors).toHaveLength(7);
  });

  it('points at JSON syntax errors with line:col', () => {
    const { errors } = parseScenario('{\n  "name": "x",\n  "program": "f.json",\n}', FILE);
    expect(errors).toEqual([`${FILE}:3:22: invalid JSON: trailing comma before '}'`]);
  });

  it('a missing required field is named', () => {
    expect(parseScenario('{"name":"x","expect":{}}', FILE).errors).toEqual([expect.stringMatching(/: at program: /)]);
    expect(parseScenario('[]', FILE).errors).toEqual([expect.stringMatching(/: at \(top\): /)]);
  });

  it('never throws on arbitrary text or JSON', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.json({ maxDepth: 3 })), (text) => {
        const r = parseScenario(text, FILE);
        return r.scenario !== null || (r.errors.length > 0 && r.errors.every((e) => e.startsWith(FILE)));
      }),
      { numRuns: 300 },
    );
  });
});
