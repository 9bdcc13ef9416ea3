// The designer's Layout command: compiler/flow/layout.ts with the sizes the canvas measured.
import { layoutPositions } from '../../compiler/flow/layout';
import type { FlowDocument } from '../../compiler/flow/schema';
import type { XY } from '../store/docOps';
import { DEFAULT_SIZE, type Size } from './sizes';

export type { Size };

/** New positions for every node (by id); unknown sizes use DEFAULT_SIZE. Notes are left where they are. */
export function autoLayout(doc: FlowDocument, sizes: Record<string, Size> = {}): Promise<Record<string, XY>> {
  return layoutPositions(doc, (n) => sizes[n.id] ?? DEFAULT_SIZE);
}
