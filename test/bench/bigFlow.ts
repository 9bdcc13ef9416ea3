// Large generated flows for the compiler benchmark: a chain of sections, each a menu that branches to
// a digit collection, an e-mail and a condition, and whose retry path goes back to the section's menu
// (so the code generator has joins and cycles to handle, not just a straight line).
import { FLOW_FORMAT, type FlowDocument, type FlowNode, type FlowEdge } from '../../compiler/flow/schema';

const SECTION = 6; // nodes per section

export function bigFlow(nodeCount: number): FlowDocument {
  const nodes: FlowNode[] = [{ id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} }];
  const edges: FlowEdge[] = [];
  const link = (source: string, sourceHandle: string, target: string) =>
    edges.push({ id: `e${edges.length}`, source, sourceHandle, target });
  let prev = 'start';
  let prevHandle = 'next';
  const sections = Math.max(1, Math.floor((nodeCount - 2) / SECTION));
  for (let s = 0; s < sections; s++) {
    const y = (s + 1) * 600;
    const id = (k: string) => `s${s}_${k}`;
    nodes.push(
      {
        id: id('menu'),
        type: 'menu',
        position: { x: 0, y },
        data: {
          prompts: ['Welcome'],
          options: [{ digit: '1' }, { digit: '2' }],
          timeout: 5,
          retries: 3,
          invalidPrompts: ['Failure'],
          noInputPrompts: [],
          replayAnnouncement: true,
        },
      },
      {
        id: id('collect'),
        type: 'collectDigits',
        position: { x: -200, y: y + 100 },
        data: {
          prompts: ['Number'],
          endKey: '#',
          clearKey: '*',
          clearPrompts: [],
          maxDigits: 10,
          firstDigitTimeout: 20,
          interDigitTimeout: 5,
          variable: 'digits',
        },
      },
      {
        id: id('mail'),
        type: 'sendEmail',
        position: { x: -200, y: y + 200 },
        data: {
          from: 'mailer@{{domain}}',
          to: '',
          subject: `Section ${s}: {{digits}}`,
          body: 'Number {{digits}}',
          attachRecording: '',
        },
      },
      {
        id: id('check'),
        type: 'condition',
        position: { x: 200, y: y + 100 },
        data: { variable: 'digits', operator: 'matches', value: '^[0-9]+$' },
      },
      {
        id: id('again'),
        type: 'play',
        position: { x: 200, y: y + 200 },
        data: { prompts: ['Failure'], interruptible: true },
      },
      {
        id: id('set'),
        type: 'setVariable',
        position: { x: 0, y: y + 300 },
        data: { variable: 'section', value: `${s}` },
      },
    );
    link(prev, prevHandle, id('menu'));
    link(id('menu'), '1', id('collect'));
    link(id('menu'), '2', id('check'));
    link(id('menu'), 'timeout', id('set'));
    link(id('collect'), 'done', id('mail'));
    link(id('collect'), 'empty', id('menu'));
    link(id('mail'), 'sent', id('set'));
    link(id('mail'), 'failed', id('again'));
    link(id('check'), 'true', id('set'));
    link(id('check'), 'false', id('again'));
    link(id('again'), 'next', id('menu'));
    prev = id('set');
    prevHandle = 'next';
  }
  nodes.push({ id: 'bye', type: 'hangup', position: { x: 0, y: (sections + 1) * 600 }, data: {} });
  link(prev, prevHandle, 'bye');
  return {
    format: FLOW_FORMAT,
    name: 'big',
    description: '',
    languages: ['english'],
    defaultLanguage: 'english',
    prompts: Object.fromEntries(
      ['Welcome', 'Number', 'Failure'].map((p) => [p, { files: { english: `${p}.wav` }, text: {} }]),
    ),
    variables: [{ name: 'digits' }, { name: 'section' }],
    nodes,
    edges,
    notes: [],
    environment: {
      domain: 'company.com',
      defaultAccount: '',
      timeZone: '',
      accounts: [],
      groups: [],
      aliases: {},
      parties: {},
    },
  };
}

/** bigFlow's sections, padded to exactly NODES nodes and laid out on a grid so no node hides another. */
export function gridFlow(NODES: number): FlowDocument {
  const flow = bigFlow(NODES);
  const extra = NODES - flow.nodes.length;
  const last = flow.edges.find((e) => e.target === 'bye')!;
  let prev = last.source;
  let prevHandle = last.sourceHandle;
  const edges = flow.edges.filter((e) => e !== last);
  const nodes = flow.nodes.filter((n) => n.id !== 'bye');
  for (let i = 0; i < extra; i++) {
    const id = `pad${i}`;
    nodes.push({ id, type: 'play', position: { x: 0, y: 0 }, data: { prompts: ['Welcome'], interruptible: true } });
    edges.push({ id: `pad-e${i}`, source: prev, sourceHandle: prevHandle, target: id });
    prev = id;
    prevHandle = 'next';
  }
  nodes.push(flow.nodes.find((n) => n.id === 'bye')!);
  edges.push({ id: 'pad-bye', source: prev, sourceHandle: prevHandle, target: 'bye' });
  const columns = Math.ceil(Math.sqrt(NODES));
  const placed = nodes.map((n, i) => ({
    ...n,
    position: { x: (i % columns) * 300, y: Math.floor(i / columns) * 220 },
  }));
  return { ...flow, name: 'big', nodes: placed, edges };
}

/**
 * `n` condition nodes in a chain, each joined by both outputs of the one before: every node is a
 * join, so every node is a case of the dispatch loop (the shape that once made compiling and
 * simulating quadratic).
 */
export function conditionChain(n: number): FlowDocument {
  const nodes: FlowNode[] = [{ id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} }];
  const edges: FlowEdge[] = [];
  const link = (source: string, sourceHandle: string, target: string) =>
    edges.push({ id: `e${edges.length}`, source, sourceHandle, target });
  for (let i = 0; i < n; i++) {
    const id = `c${i}`;
    nodes.push({
      id,
      type: 'condition',
      position: { x: 0, y: i * 100 },
      data: { variable: 'x', operator: 'equals', value: `${i % 10}` },
    });
    if (i === 0) link('start', 'next', id);
    else {
      link(`c${i - 1}`, 'true', id);
      link(`c${i - 1}`, 'false', id);
    }
  }
  nodes.push({ id: 'bye', type: 'hangup', position: { x: 0, y: n * 100 }, data: {} });
  link(`c${n - 1}`, 'true', 'bye');
  link(`c${n - 1}`, 'false', 'bye');
  return {
    format: FLOW_FORMAT,
    name: 'chain',
    description: '',
    languages: ['english'],
    defaultLanguage: 'english',
    prompts: {},
    variables: [{ name: 'x', initial: '5' }],
    nodes,
    edges,
    notes: [],
    environment: {
      domain: 'company.com',
      defaultAccount: '',
      timeZone: '',
      accounts: [],
      groups: [],
      aliases: {},
      parties: {},
    },
  };
}
