// File ▸ Import CG/PL…: a CommuniGate program (.sppr) read in the page becomes a new, unsaved flow
// (compiler/import; the importer and its layout are loaded only when used).
import { formatDiagnostic } from '../../compiler/diagnostics';
import { isDirty } from '../store/flowStore';
import type { Action } from './types';

export const importCgpl: Action<{ name: string; text: string }> = {
  name: 'importCgpl',
  label: 'Import CG/PL…',
  async perform(ctx, { name, text }) {
    const notify = ctx.ui.getState().notify;
    // the designer's dialogs answer asynchronously: wait for the answer, never lose work unasked
    if (
      isDirty(ctx.flow.getState()) &&
      !(await ctx.confirm('Discard the unsaved changes to this flow?', 'Discard changes'))
    )
      return;
    const { importCgpl: importProgram, layoutFlow } = await import('../../compiler/import');
    const result = importProgram(text, { file: name });
    if (!result.flow) {
      const [first, ...more] = result.problems;
      const rest = more.length > 0 ? ` (and ${more.length} more)` : '';
      notify(`${name} was not imported: ${first ? formatDiagnostic(first, name) : 'no program'}${rest}`, 'error');
      return;
    }
    const flow = await layoutFlow(result.flow);
    ctx.flow.getState().load(flow, null);
    ctx.canvas?.fitView({ instant: true });
    const counts = Object.entries(result.counts)
      .map(([type, n]) => `${n} ${type}`)
      .join(', ');
    notify(`imported ${name}: ${flow.nodes.length} nodes (${counts}); save it beside the program's recordings`);
  },
};
