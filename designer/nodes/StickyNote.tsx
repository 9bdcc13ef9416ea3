// A sticky note: free text on the canvas, not part of the call flow.
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { NoteRfNode } from './types';

export const StickyNote = memo(function StickyNote({ data, selected }: NodeProps<NoteRfNode>) {
  return (
    <div className={`sticky-note${selected ? ' is-selected' : ''}`} data-testid={`note-${data.noteId}`}>
      {data.text || <span className="muted">Empty note</span>}
    </div>
  );
});
