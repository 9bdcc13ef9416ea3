// The matcher a compiled JS module carries is this folder's code, bundled: regenerate it with
// `npm run build:regex` whenever compiler/regex changes.
import { describe, expect, it } from 'vitest';
import { bundlePosixEre } from '../../compiler/regex/bundle';
import { POSIX_ERE_JS } from '../../compiler/regex/embedded';
import { compileToJs } from '../../compiler/generate';
import { FLOW_FORMAT, FlowDocument } from '../../compiler/flow';

describe('the matcher bundled into JS modules', () => {
  it('is the current compiler/regex (else run npm run build:regex)', async () => {
    expect(POSIX_ERE_JS === (await bundlePosixEre()), 'compiler/regex/embedded.ts is stale: npm run build:regex').toBe(
      true,
    );
  });

  it('is carried by a module with a matches condition, and only then', () => {
    const flow = (operator: string) =>
      FlowDocument.parse({
        format: FLOW_FORMAT,
        name: 'm',
        variables: [{ name: 'x', initial: 'abc' }],
        nodes: [
          { id: 'start', type: 'start', data: {} },
          { id: 'c', type: 'condition', data: { variable: 'x', operator, value: '^[[:alpha:]]+$' } },
        ],
        edges: [{ id: 'e1', source: 'start', sourceHandle: 'next', target: 'c' }],
      });
    expect(compileToJs(flow('matches')).text).toContain(POSIX_ERE_JS);
    expect(compileToJs(flow('equals')).text).not.toContain('PosixEre');
  });
});
