// The page's problems store: a small flow is checked on every change at once; a big one after the
// page has painted, with changes made meanwhile checked together; moves never re-check.
import { describe, expect, it } from 'vitest';
import { validateFlow } from '../../compiler/flow/validate';
import { movePositions, updateNodeData } from '../../designer/store/docOps';
import { createFlowStore } from '../../designer/store/flowStore';
import { DEFER_ABOVE, problemsOf } from '../../designer/store/problems';
import { gridFlow } from '../bench/bigFlow';
import { callbackFlow } from './helpers';
import { waitFor } from '../helpers/waitFor';

describe('problems of a small flow', () => {
  it('are there from the start and follow every change at once', () => {
    const flow = createFlowStore();
    flow.getState().load(callbackFlow(), 'callback/flow.json');
    const problems = problemsOf(flow);
    expect(problemsOf(flow)).toBe(problems);
    expect(problems.getState()).toMatchObject({ pending: false, problems: validateFlow(callbackFlow()) });
    const intro = flow.getState().doc.nodes.find((n) => n.type === 'sendEmail')!;
    flow.getState().change((d) => updateNodeData(d, intro.id, { subject: 'Call {{nosuchvar}}' }));
    const now = problems.getState().problems;
    expect(now).toEqual(validateFlow(flow.getState().doc));
    expect(now.some((p) => p.nodeId === intro.id)).toBe(true);
    expect(problems.getState().errors.get(intro.id)).toBe(
      now.filter((p) => p.nodeId === intro.id && p.severity === 'error').length,
    );
    expect(problems.getState().errors.get(intro.id)).toBeGreaterThan(0);
  });
});

describe('problems of a big flow', () => {
  const big = () => {
    const doc = gridFlow(DEFER_ABOVE + 100);
    const flow = createFlowStore();
    flow.getState().load(doc, 'big/flow.json');
    return flow;
  };

  it('are "pending" until the flow has been checked, after the current turn', async () => {
    const flow = big();
    const problems = problemsOf(flow);
    expect(problems.getState()).toMatchObject({ pending: true, problems: [] });
    await waitFor('the check', () => !problems.getState().pending);
    expect(problems.getState().problems).toEqual(validateFlow(flow.getState().doc));
  });

  it('changes made before the check are checked together, and the last one counts', async () => {
    const flow = big();
    const problems = problemsOf(flow);
    await waitFor('the first check', () => !problems.getState().pending);
    const before = problems.getState().problems;
    const mail = flow.getState().doc.nodes.find((n) => n.type === 'sendEmail')!;
    flow.getState().change((d) => updateNodeData(d, mail.id, { subject: 'Call {{nosuchvar}}' }));
    flow.getState().change((d) => updateNodeData(d, mail.id, { subject: 'Call {{nosuchvar}} {{another}}' }));
    expect(problems.getState().problems).toBe(before); // not yet: the old list stays until the check
    const after = await waitFor(
      'the second check',
      () => problems.getState().problems !== before && problems.getState().problems,
    );
    expect(after).toEqual(validateFlow(flow.getState().doc));
    expect(
      after
        .filter((p) => p.nodeId === mail.id)
        .map((p) => p.message)
        .join(),
    ).toMatch(/nosuchvar.*another|another.*nosuchvar/);
  });

  it('a move is not a change to check: the list is carried over at once', async () => {
    const flow = big();
    const problems = problemsOf(flow);
    await waitFor('the first check', () => !problems.getState().pending);
    const before = problems.getState().problems;
    const id = flow.getState().doc.nodes[3]!.id;
    flow.setState({ doc: movePositions(flow.getState().doc, { [id]: { x: 5, y: 5 } }) });
    expect(problems.getState().problems).toBe(before);
  });
});
