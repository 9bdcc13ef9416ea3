// A read-only CodeMirror view: highlighted lines (the selected node's) and line clicks.
import { useEffect, useRef } from 'react';
import { EditorState, RangeSetBuilder, StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, lineNumbers, type DecorationSet } from '@codemirror/view';
import { syntaxHighlighting, defaultHighlightStyle } from '@codemirror/language';
import { javascript } from '@codemirror/lang-javascript';
import { cgplLanguage } from './cgplLanguage';

const setMarked = StateEffect.define<{ lines: number[]; paused: number | null }>();
const markedLine = Decoration.line({ class: 'cm-marked-line' });
const pausedLine = Decoration.line({ class: 'cm-paused-line', attributes: { 'aria-current': 'step' } });

const marks = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(value, tr) {
    for (const e of tr.effects) {
      if (!e.is(setMarked)) continue;
      const builder = new RangeSetBuilder<Decoration>();
      const { lines, paused } = e.value;
      for (const n of [...new Set([...lines, ...(paused !== null ? [paused] : [])])].sort((a, b) => a - b)) {
        if (n >= 1 && n <= tr.state.doc.lines)
          builder.add(tr.state.doc.line(n).from, tr.state.doc.line(n).from, n === paused ? pausedLine : markedLine);
      }
      return builder.finish();
    }
    return value.map(tr.changes);
  },
  provide: (f) => EditorView.decorations.from(f),
});

interface Props {
  text: string;
  language: 'cgpl' | 'js';
  marked: number[];
  /** The line a paused call stopped at. */
  paused?: number | null;
  onLineClick?: (line: number) => void;
  testId?: string;
}

export function CodeView({ text, language, marked, paused = null, onLineClick, testId }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const click = useRef(onLineClick);
  click.current = onLineClick;

  useEffect(() => {
    const extensions: Extension[] = [
      lineNumbers(),
      EditorState.readOnly.of(true),
      EditorView.editable.of(false),
      syntaxHighlighting(defaultHighlightStyle),
      language === 'cgpl' ? cgplLanguage : javascript(),
      marks,
      EditorView.domEventHandlers({
        mousedown(e, v) {
          const pos = v.posAtCoords({ x: e.clientX, y: e.clientY });
          if (pos !== null) click.current?.(v.state.doc.lineAt(pos).number);
          return false;
        },
      }),
    ];
    view.current = new EditorView({ parent: host.current!, state: EditorState.create({ doc: '', extensions }) });
    return () => view.current?.destroy();
  }, [language]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new language makes a new view, which needs the text again
  useEffect(() => {
    const v = view.current;
    if (!v || v.state.doc.toString() === text) return;
    v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: text } });
  }, [text, language]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: new text or a new view drops the marks
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    v.dispatch({ effects: setMarked.of({ lines: marked, paused }) });
    const first = paused ?? Math.min(...marked);
    if (Number.isFinite(first) && first <= v.state.doc.lines) {
      v.dispatch({ effects: EditorView.scrollIntoView(v.state.doc.line(first).from, { y: 'center' }) });
    }
  }, [marked, paused, text, language]);

  return <div className="code-view" ref={host} data-testid={testId} />;
}
