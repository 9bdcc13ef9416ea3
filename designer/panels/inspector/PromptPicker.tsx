// An ordered list of prompts chosen from the flow's prompt library.
import { useFlow } from '../../hooks/useApp';
import type { Problem } from '../../../compiler/flow/problems';
import { Field } from './fields';

interface Props {
  label: string;
  value: readonly string[];
  onChange: (v: string[]) => void;
  problems?: readonly Problem[];
  hint?: string;
}

export function PromptPicker({ label, value, onChange, problems, hint }: Props) {
  const library = useFlow((s) => s.doc.prompts);
  const language = useFlow((s) => s.doc.defaultLanguage);
  const names = Object.keys(library).sort();
  const move = (i: number, d: number) => {
    const next = [...value];
    const [item] = next.splice(i, 1);
    next.splice(i + d, 0, item!);
    onChange(next);
  };
  return (
    <Field label={label} problems={problems} hint={hint}>
      <div className="prompt-list">
        {value.map((name, i) => (
          <div key={`${name}-${i}`} className={`prompt-row${Object.hasOwn(library, name) ? '' : ' is-missing'}`}>
            <span className="prompt-row__name" title={library[name]?.text[language] ?? 'not in the prompt library'}>
              ♪ {name}
            </span>
            <button
              type="button"
              className="icon-btn"
              disabled={i === 0}
              onClick={() => move(i, -1)}
              title="Earlier"
              aria-label={`Play ${name} earlier`}
            >
              ↑
            </button>
            <button
              type="button"
              className="icon-btn"
              disabled={i === value.length - 1}
              onClick={() => move(i, 1)}
              title="Later"
              aria-label={`Play ${name} later`}
            >
              ↓
            </button>
            <button
              type="button"
              className="icon-btn"
              onClick={() => onChange(value.filter((_, j) => j !== i))}
              title="Remove"
              aria-label={`Remove ${name} from ${label}`}
            >
              ✕
            </button>
          </div>
        ))}
        <select
          value=""
          onChange={(e) => e.target.value && onChange([...value, e.target.value])}
          className="prompt-add"
          aria-label={`Add a prompt to ${label}`}
        >
          <option value="">{names.length ? '+ add a prompt…' : 'the prompt library is empty (Prompts tab)'}</option>
          {names.map((n) => (
            <option key={n} value={n}>
              {n}
              {library[n]?.text[language] ? ` — ${library[n]!.text[language]!.slice(0, 40)}` : ''}
            </option>
          ))}
        </select>
      </div>
    </Field>
  );
}
