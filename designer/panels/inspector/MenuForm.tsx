// Menu: announcement, the digit options (each one an output), timeout and retries.
import type { NodeOf } from '../../../compiler/flow/schema';
import { CheckField, FieldProblems, NumberField } from './fields';
import { PromptPicker } from './PromptPicker';
import { useNodeEditor } from './useNodeEditor';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'];

export function MenuForm({ node }: { node: NodeOf<'menu'> }) {
  const { d, set, issues } = useNodeEditor(node);
  const used = new Set(d.options.map((o) => o.digit));
  const free = KEYS.find((k) => !used.has(k));
  const setOption = (i: number, patch: Partial<(typeof d.options)[number]>) =>
    set(
      'options',
      d.options.map((o, j) => (j === i ? { ...o, ...patch } : o)),
    );
  return (
    <>
      <PromptPicker
        label="Announcement"
        value={d.prompts}
        onChange={(v) => set('prompts', v)}
        problems={issues('prompts')}
      />
      <div className="field">
        <span className="field__label">Options (one output per key)</span>
        <div className="option-rows">
          {d.options.map((o, i) => (
            <div key={i} className="option-row">
              <select value={o.digit} onChange={(e) => setOption(i, { digit: e.target.value })} aria-label="Key">
                {KEYS.map((k) => (
                  <option key={k} value={k} disabled={k !== o.digit && used.has(k)}>
                    {k}
                  </option>
                ))}
              </select>
              <input
                type="text"
                value={o.label ?? ''}
                placeholder="what it does"
                onChange={(e) => setOption(i, { label: e.target.value || undefined })}
              />
              <button
                type="button"
                className="icon-btn"
                title="Remove option"
                onClick={() =>
                  set(
                    'options',
                    d.options.filter((_, j) => j !== i),
                  )
                }
              >
                ✕
              </button>
            </div>
          ))}
          <button
            type="button"
            className="btn btn--small"
            disabled={!free}
            onClick={() => free && set('options', [...d.options, { digit: free }])}
          >
            + Add option
          </button>
        </div>
        <FieldProblems problems={issues('options')} />
      </div>
      <div className="field-row">
        <NumberField
          label="Timeout"
          unit="s"
          value={d.timeout}
          onChange={(v) => set('timeout', v)}
          problems={issues('timeout')}
          min={1}
        />
        <NumberField
          label="Tries"
          value={d.retries}
          onChange={(v) => set('retries', v)}
          problems={issues('retries')}
          min={1}
        />
      </div>
      <CheckField
        label="Replay the announcement before each retry"
        value={d.replayAnnouncement}
        onChange={(v) => set('replayAnnouncement', v)}
      />
      <PromptPicker
        label="On an invalid key"
        value={d.invalidPrompts}
        onChange={(v) => set('invalidPrompts', v)}
        problems={issues('invalidPrompts')}
      />
      <PromptPicker
        label="On no input"
        value={d.noInputPrompts}
        onChange={(v) => set('noInputPrompts', v)}
        problems={issues('noInputPrompts')}
      />
    </>
  );
}
