import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findSyntaxError, formatProblem, lineColumn, loadFlow, parseFlowObject } from '../../compiler/flow';

const fixture = readFileSync(new URL('./fixtures/callback.json', import.meta.url), 'utf8');

function only(text: string) {
  const { flow, problems } = loadFlow(text, 'flow.json');
  expect(flow).toBeNull();
  expect(problems).toHaveLength(1);
  return formatProblem(problems[0]!);
}

describe('loadFlow: JSON syntax', () => {
  it('points at the line and column of the error', () => {
    expect(only('{\n  "format": "ivr-studio/flow@1"\n  "name": "x"\n}')).toBe(
      "flow.json:3:3: error FLOW301: invalid JSON: expected ',' or '}', found '\"'",
    );
  });

  it('names a trailing comma at the comma', () => {
    expect(only('{"nodes": [1, 2,\n]}')).toBe("flow.json:1:16: error FLOW301: invalid JSON: trailing comma before ']'");
    expect(only('{"a": 1,}')).toBe("flow.json:1:8: error FLOW301: invalid JSON: trailing comma before '}'");
  });

  it('reports empty text, unterminated strings, single quotes and text after the value', () => {
    expect(only('')).toBe('flow.json:1:1: error FLOW301: invalid JSON: expected a value, found the end of the text');
    expect(only('{"a": "abc')).toBe('flow.json:1:7: error FLOW301: invalid JSON: unterminated string');
    expect(only("{'a': 1}")).toContain(
      'flow.json:1:2: error FLOW301: invalid JSON: expected a double-quoted property name',
    );
    expect(only('{}\n}')).toBe(
      "flow.json:2:1: error FLOW301: invalid JSON: unexpected '}' after the end of the JSON value",
    );
  });

  it('agrees with JSON.parse on what is valid', () => {
    const samples = [
      '{}',
      '[]',
      '"a\\u00e9"',
      '-0.5e+3',
      'true',
      ' null ',
      '{"a":[1,{"b":null}]}',
      '01',
      '1.',
      '"\\x"',
      '[1 2]',
      '{"a"}',
      '\u2028',
    ];
    for (const s of samples) {
      let valid = true;
      try {
        JSON.parse(s);
      } catch {
        valid = false;
      }
      expect(findSyntaxError(s) === null, s).toBe(valid);
    }
  });

  it('does not overflow on deeply nested input', () => {
    const deep = '['.repeat(100_000);
    expect(only(deep)).toMatch(/^flow\.json:1:100001: error FLOW301: invalid JSON: expected a value/);
  });

  it('accepts a byte-order mark', () => {
    expect(loadFlow(`\uFEFF${fixture}`).problems).toEqual([]);
  });

  it('computes 1-based line and column', () => {
    expect(lineColumn('ab\ncd\r\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd\r\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn('ab\ncd\r\nef', 7)).toEqual({ line: 3, column: 1 });
  });
});

describe('loadFlow: format', () => {
  it('says which format it expects when it is missing', () => {
    expect(only('{"name": "x", "nodes": []}')).toBe(
      `flow.json: at format: error FLOW302: missing "format": expected 'ivr-studio/flow@1'`,
    );
  });

  it('names the format it found', () => {
    expect(only('{"format": "ivr-studio/flow@2", "name": "x", "nodes": []}')).toBe(
      `flow.json: at format: error FLOW302: unsupported format "ivr-studio/flow@2": expected 'ivr-studio/flow@1'`,
    );
  });

  it('rejects a document that is not an object', () => {
    expect(only('[1, 2]')).toBe('flow.json: error FLOW302: a flow document must be a JSON object, found an array');
    expect(only('null')).toBe('flow.json: error FLOW302: a flow document must be a JSON object, found null');
  });
});

describe('loadFlow: shape errors', () => {
  const doc = (nodes: unknown[], more: Record<string, unknown> = {}) =>
    JSON.stringify({ format: 'ivr-studio/flow@1', name: 'x', nodes, ...more });

  it('gives the JSON path and the node id', () => {
    const { problems } = loadFlow(
      doc([
        { id: 's', type: 'start' },
        { id: 'm', type: 'menu' },
        { id: 'p', type: 'play' },
        { id: 'menu1', type: 'menu', data: { timeout: '5' } },
      ]),
    );
    expect(problems).toEqual([
      {
        severity: 'error',
        code: 'FLOW302',
        message: 'expected number, found string "5"',
        path: 'nodes[3].data.timeout',
        nodeId: 'menu1',
        nodeType: 'menu',
        field: 'timeout',
      },
    ]);
    expect(formatProblem(problems[0]!, 'flow.json')).toBe(
      'flow.json: node menu1 (menu) at nodes[3].data.timeout: error FLOW302: expected number, found string "5"',
    );
  });

  it('reports unknown and missing node types with the known ones', () => {
    const { problems } = loadFlow(doc([{ id: 'a', type: 'gosub' }, { id: 'b' }]));
    expect(problems.map((p) => [p.nodeId, p.path, p.message.split(' (')[0]])).toEqual([
      ['a', 'nodes[0].type', 'unknown node type "gosub"'],
      ['b', 'nodes[1].type', 'missing node type'],
    ]);
    expect(problems[0]!.message).toContain('collectDigits');
  });

  it('reports missing fields, bad edges and nested paths', () => {
    const { problems } = loadFlow(
      doc([{ type: 'play', data: { prompts: ['A', 7] } }], {
        edges: [{ id: 'e1', source: 'a', target: 'b' }],
        prompts: { 'Thank you': { files: { english: 1 } } },
        environment: { accounts: [{ name: 'a', rules: [{ when: 'never', to: '#x' }] }] },
      }),
    );
    const lines = problems.map((p) => formatProblem(p));
    expect(lines).toEqual(
      expect.arrayContaining([
        'at nodes[0].id: error FLOW302: missing (expected string)',
        'at nodes[0].data.prompts[1]: error FLOW302: expected string, found number 7',
        'edge e1 at edges[0].sourceHandle: error FLOW302: missing (expected string)',
        'at prompts["Thank you"].files.english: error FLOW302: expected string, found number 1',
        'at environment.accounts[0].rules[0].when: error FLOW302: expected one of "always", "afterhours", found string "never"',
      ]),
    );
    expect(lines).toHaveLength(5);
  });

  it('reports an empty name', () => {
    expect(only(doc([], { name: '' }))).toBe('flow.json: at name: error FLOW302: must not be empty');
  });

  it('fills in defaults', () => {
    const { flow } = loadFlow(doc([{ id: 'c', type: 'collectDigits' }]));
    expect(flow?.languages).toEqual(['english']);
    expect(flow?.nodes[0]).toMatchObject({
      position: { x: 0, y: 0 },
      data: { endKey: '#', clearKey: '*', variable: 'digits', maxDigits: 0 },
    });
  });
});

describe('parseFlowObject', () => {
  it('accepts the parsed fixture and never throws on odd values', () => {
    expect(parseFlowObject(JSON.parse(fixture)).problems).toEqual([]);
    for (const v of [undefined, 1, 'x', Symbol('s'), () => 1, new Map(), Object.create(null)]) {
      const r = parseFlowObject(v);
      expect(r.flow).toBeNull();
      expect(r.problems.length).toBeGreaterThan(0);
    }
  });

  it('returns an error, not an exception, when given a non-string to load', () => {
    expect(loadFlow(42 as unknown as string).problems[0]?.message).toBe(
      'expected the text of a flow file, found number 42',
    );
  });
});
