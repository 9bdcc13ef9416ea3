// Every node type: drag onto the canvas, or click to add it in the middle of the view.
import { memo, type DragEvent } from 'react';
import { NODE_TYPES } from '../../compiler/flow/model';
import type { NodeType } from '../../compiler/flow/schema';
import { runAction } from '../actions';
import { NODE_META } from '../nodes/meta';
import { DRAG_TYPE } from '../canvas/FlowCanvas';

function onDragStart(e: DragEvent, type: NodeType) {
  e.dataTransfer.setData(DRAG_TYPE, type);
  e.dataTransfer.effectAllowed = 'copy';
}

export const Palette = memo(function Palette() {
  return (
    <div className="palette">
      <div className="panel-hint">Drag onto the canvas or click to add.</div>
      {NODE_TYPES.map((type) => {
        const meta = NODE_META[type];
        return (
          <button
            key={type}
            type="button"
            className="palette-item"
            draggable
            onDragStart={(e) => onDragStart(e, type)}
            onClick={() => void runAction('addNode', { type })}
            data-testid={`palette-${type}`}
            title={meta.hint}
            style={{ ['--node-colour' as string]: meta.colour }}
          >
            <span className="palette-item__icon">{meta.icon}</span>
            <span className="palette-item__text">
              <span className="palette-item__title">{meta.title}</span>
              <span className="palette-item__hint">{meta.hint}</span>
            </span>
          </button>
        );
      })}
      <button
        type="button"
        className="palette-item palette-item--note"
        onClick={() => void runAction('addNote')}
        data-testid="palette-note"
      >
        <span className="palette-item__icon">✎</span>
        <span className="palette-item__text">
          <span className="palette-item__title">Sticky note</span>
          <span className="palette-item__hint">A comment on the canvas</span>
        </span>
      </button>
    </div>
  );
});
