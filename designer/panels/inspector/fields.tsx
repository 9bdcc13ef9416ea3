// Form fields for the inspector; each shows the validation messages for its field under it.
import type { ReactNode } from 'react';
import { CATALOGUE } from '../../../compiler/diagnostics';
import type { Problem } from '../../../compiler/flow/problems';

export function FieldProblems({ problems }: { problems: readonly Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="field-problems">
      {problems.map((p, i) => (
        <li key={i} className={`sev-${p.severity}`} data-code={p.code}>
          {p.message} {/* the code `ivr-studio validate` prints, so a message here can be found in the docs */}
          <span className="field-problems__code" title={CATALOGUE[p.code]}>
            {p.code}
          </span>
        </li>
      ))}
    </ul>
  );
}

interface Base {
  label: string;
  problems?: readonly Problem[];
  hint?: string;
  testId?: string;
}

export function Field({ label, problems = [], hint, children }: Base & { children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the children
    <label className={`field${problems.some((p) => p.severity === 'error') ? ' has-error' : ''}`}>
      <span className="field__label">{label}</span>
      {children}
      {hint && <span className="field__hint">{hint}</span>}
      <FieldProblems problems={problems} />
    </label>
  );
}

export function TextField(
  props: Base & {
    value: string;
    onChange: (v: string) => void;
    placeholder?: string;
    multiline?: boolean;
    mono?: boolean;
  },
) {
  const { value, onChange, placeholder, multiline, mono, testId } = props;
  const cls = mono ? 'mono' : undefined;
  return (
    <Field {...props}>
      {multiline ? (
        <textarea
          className={cls}
          value={value}
          placeholder={placeholder}
          rows={4}
          onChange={(e) => onChange(e.target.value)}
          data-testid={testId}
        />
      ) : (
        <input
          className={cls}
          type="text"
          value={value}
          placeholder={placeholder}
          onChange={(e) => onChange(e.target.value)}
          data-testid={testId}
        />
      )}
    </Field>
  );
}

export function NumberField(
  props: Base & { value: number; onChange: (v: number) => void; min?: number; max?: number; unit?: string },
) {
  const { value, onChange, min, max, unit, testId } = props;
  return (
    <Field {...props}>
      <span className="with-unit">
        <input
          type="number"
          value={Number.isFinite(value) ? value : ''}
          min={min}
          max={max}
          onChange={(e) => onChange(e.target.value === '' ? 0 : Number(e.target.value))}
          data-testid={testId}
        />
        {unit && <span className="unit">{unit}</span>}
      </span>
    </Field>
  );
}

export function CheckField({
  label,
  value,
  onChange,
  hint,
}: {
  label: string;
  value: boolean;
  onChange: (v: boolean) => void;
  hint?: string;
}) {
  return (
    <label className="field field--check">
      <input type="checkbox" checked={value} onChange={(e) => onChange(e.target.checked)} />
      <span className="field__label">{label}</span>
      {hint && <span className="field__hint">{hint}</span>}
    </label>
  );
}

export function SelectField<T extends string>(
  props: Base & { value: T; options: readonly { value: T; label: string }[]; onChange: (v: T) => void },
) {
  const { value, options, onChange, testId } = props;
  return (
    <Field {...props}>
      <select value={value} onChange={(e) => onChange(e.target.value as T)} data-testid={testId}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}
