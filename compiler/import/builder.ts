// The flow being built by the importer: nodes with fresh ids, edges, the prompt library and the
// variables the nodes read, and the dispatch labels (`next = "menu1"`) that become edges.
import type { Stmt } from '../cgpl/ast';
import type { FlowEdge, FlowNode, NodeType } from '../flow/schema';
import { templateVariables } from '../flow/templates';
import { BUILTIN_VARIABLES } from '../flow/model';
import { printStatements } from './match';

type Data<T extends NodeType> = Extract<FlowNode, { type: T }>['data'];

export class FlowBuilder {
  readonly nodes: FlowNode[] = [];
  readonly edges: FlowEdge[] = [];
  readonly prompts = new Set<string>();
  /** Variables templates and conditions read (declared in the flow unless a node sets them). */
  readonly reads = new Set<string>();
  /**
   * The dispatch loop's case labels (`"menu1"`, or `3` when numbered) → the id of the case's first
   * node: ids that stay free for those nodes.
   */
  readonly labels = new Map<string, string>();
  /** The dispatch variable (`next`), once the dispatch loop is found. */
  dispatch: string | null = null;
  /**
   * The program keeps an `answered` flag: some node can be reached both answered and not. One hang-up
   * node for every `stop` then keeps that so (a hang-up reached both ways is the usual such node).
   */
  shareHangup = false;
  private hangupId: string | null = null;
  /** Where the call goes when the program's end is reached (the shared hang-up, or null). */
  end: string | null = null;
  private readonly counters = new Map<string, number>();
  private readonly taken = new Set<string>();

  node<T extends NodeType>(type: T, data: Data<T>): string {
    let id: string;
    do {
      const n = (this.counters.get(type) ?? 0) + 1;
      this.counters.set(type, n);
      id = `${type}${n}`;
    } while (this.taken.has(id) || this.isLabel(id));
    this.taken.add(id);
    this.nodes.push({ id, type, position: { x: 0, y: 0 }, data } as FlowNode);
    return id;
  }

  hangup(): string {
    if (!this.shareHangup) return this.node('hangup', {});
    this.hangupId ??= this.node('hangup', {});
    return this.hangupId;
  }

  isLabel(id: string): boolean {
    for (const v of this.labels.values()) if (v === id) return true;
    return false;
  }

  edge(source: string, handle: string, target: string | null): void {
    if (target === null) return;
    this.edges.push({ id: `e${this.edges.length + 1}`, source, sourceHandle: handle, target });
  }

  /** Reads of a template's variables (not the built-ins). */
  template(t: string): string {
    for (const v of templateVariables(t)) if (!(v in BUILTIN_VARIABLES)) this.reads.add(v);
    return t;
  }

  /** A code node holding statements as written, leaving by `next`. */
  code(stmts: Stmt[], next: string | null, answer: boolean): string {
    const id = this.node('code', { code: printStatements(stmts), exits: ['next'], answer });
    this.edge(id, 'next', next);
    return id;
  }

  drop(id: string): void {
    const i = this.nodes.findIndex((n) => n.id === id);
    if (i >= 0) this.nodes.splice(i, 1);
  }

  /** Gives node `from` the id `to` (a dispatch case's first node takes the case's label). */
  rename(from: string, to: string): void {
    for (const n of this.nodes) if (n.id === from) n.id = to;
    for (const e of this.edges) {
      if (e.source === from) e.source = to;
      if (e.target === from) e.target = to;
    }
    this.taken.add(to);
  }
}
