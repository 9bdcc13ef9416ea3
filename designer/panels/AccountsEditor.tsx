// The PBX environment's accounts: a compact row per account, expandable to its working hours and
// divert rules. Every edit is one store change(); typing in one field groups into one undo step.
import { useState } from 'react';
import { WEEKDAYS } from '../../compiler/flow/model';
import type { Account, FlowDocument } from '../../compiler/flow/schema';
import { useApp, useFlow, useProblems } from '../hooks/useApp';
import type { Problem } from '../../compiler/flow/problems';
import { FieldProblems } from './inspector/fields';
import {
  accountProblems,
  addAccount,
  addHours,
  addRule,
  removeAccount,
  removeHours,
  removeRule,
  toggleHoursDay,
  updateAccount,
  updateHours,
  updateRule,
  type DivertRule,
} from './accountOps';

const DAYS = WEEKDAYS;
const WHEN: readonly { value: DivertRule['when']; label: string }[] = [
  { value: 'always', label: 'always' },
  { value: 'afterhours', label: 'after hours' },
];

export function AccountsEditor() {
  const app = useApp();
  const accounts = useFlow((s) => s.doc.environment.accounts);
  const domain = useFlow((s) => s.doc.environment.domain);
  const languages = useFlow((s) => s.doc.languages);
  const problems = useProblems((s) => s.problems);
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const change = (recipe: (d: FlowDocument) => FlowDocument, group?: string) =>
    app.flow.getState().change(recipe, group);

  const toggle = (i: number) =>
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(i)) next.delete(i);
      else next.add(i);
      return next;
    });
  const add = () => {
    change((d) => addAccount(d).doc);
    setOpen((s) => new Set([...s, accounts.length]));
  };
  // Indices after the removed row shift down, so the open set shifts with them.
  const remove = (i: number) => {
    change((d) => removeAccount(d, i));
    setOpen((s) => new Set([...s].filter((j) => j !== i).map((j) => (j > i ? j - 1 : j))));
  };

  return (
    <div className="field accounts" data-testid="accounts-editor">
      <span className="field__label">Accounts</span>
      {accounts.length === 0 && <div className="muted small">No accounts: calls run for no one in particular.</div>}
      {accounts.map((account, i) => (
        <AccountRow
          key={i}
          index={i}
          account={account}
          domain={domain}
          languages={languages}
          problems={problems}
          expanded={open.has(i)}
          onToggle={() => toggle(i)}
          onRemove={() => remove(i)}
          change={change}
        />
      ))}
      <button type="button" className="btn btn--small" onClick={add} data-testid="account-add">
        + Add account
      </button>
    </div>
  );
}

interface RowProps {
  index: number;
  account: Account;
  domain: string;
  languages: readonly string[];
  problems: readonly Problem[];
  expanded: boolean;
  onToggle: () => void;
  onRemove: () => void;
  change: (recipe: (d: FlowDocument) => FlowDocument, group?: string) => void;
}

function AccountRow({
  index: i,
  account,
  domain,
  languages,
  problems,
  expanded,
  onToggle,
  onRemove,
  change,
}: RowProps) {
  const set = (field: keyof Account & string, patch: Partial<Account>) =>
    change((d) => updateAccount(d, i, patch), `account.${i}.${field}`);
  const at = (field: string) => accountProblems(problems, i, field);
  const hasError = accountProblems(problems, i).some((p) => p.severity === 'error');
  const hours = account.workingHours ?? [];
  // A language the flow no longer has stays visible so the warning next to it makes sense.
  const langOptions =
    account.language && !languages.includes(account.language) ? [...languages, account.language] : languages;
  return (
    <div className={`account${hasError ? ' has-error' : ''}`} data-testid={`account-row-${account.name}`}>
      <div className="account__line">
        <button
          type="button"
          className="icon-btn"
          title={expanded ? 'Collapse' : 'Working hours and divert rules'}
          onClick={onToggle}
          aria-expanded={expanded}
        >
          {expanded ? '▾' : '▸'}
        </button>
        <input
          className="mono account__name"
          type="text"
          value={account.name}
          placeholder="name"
          aria-label="account name"
          onChange={(e) => set('name', { name: e.target.value })}
        />
        <select
          value={account.language ?? ''}
          aria-label="language"
          onChange={(e) => set('language', { language: e.target.value })}
        >
          <option value="">default</option>
          {langOptions.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="icon-btn"
          title="Remove account"
          onClick={onRemove}
          data-testid={`account-remove-${account.name}`}
        >
          ✕
        </button>
      </div>
      <input
        className="account__email"
        type="text"
        value={account.email ?? ''}
        aria-label="e-mail"
        placeholder={`${account.name || 'name'}@${domain || 'domain'}`}
        onChange={(e) => set('email', { email: e.target.value })}
      />
      <FieldProblems problems={[...at('name'), ...at('language'), ...at('email')]} />
      {expanded && (
        <div className="account__details">
          <input
            type="text"
            value={account.realName ?? ''}
            placeholder="Real name"
            aria-label="real name"
            onChange={(e) => set('realName', { realName: e.target.value })}
          />
          <span className="field__label">Working hours</span>
          {hours.map((r, j) => (
            <div key={j} className="schedule-row">
              <div className="day-checks">
                {DAYS.map((day) => (
                  <label key={day} className="day-check">
                    <input
                      type="checkbox"
                      checked={r.days.includes(day)}
                      onChange={() => change((d) => toggleHoursDay(d, i, j, day))}
                    />
                    {day}
                  </label>
                ))}
              </div>
              <div className="time-range">
                <input
                  type="time"
                  value={r.from}
                  aria-label="from"
                  onChange={(e) =>
                    change((d) => updateHours(d, i, j, { from: e.target.value }), `account.${i}.hours.${j}.from`)
                  }
                />
                <span>–</span>
                <input
                  type="time"
                  value={r.to}
                  aria-label="to"
                  onChange={(e) =>
                    change((d) => updateHours(d, i, j, { to: e.target.value }), `account.${i}.hours.${j}.to`)
                  }
                />
                <button
                  type="button"
                  className="icon-btn"
                  title="Remove hours"
                  onClick={() => change((d) => removeHours(d, i, j))}
                >
                  ✕
                </button>
              </div>
              <FieldProblems problems={at(`workingHours[${j}]`)} />
            </div>
          ))}
          <button type="button" className="btn btn--small" onClick={() => change((d) => addHours(d, i))}>
            + Add hours
          </button>
          <span className="field__label">Divert rules</span>
          {account.rules.map((rule, j) => (
            <div key={j} className="divert-rule">
              <div className="time-range">
                <select
                  value={rule.when}
                  aria-label="when"
                  onChange={(e) => change((d) => updateRule(d, i, j, { when: e.target.value as DivertRule['when'] }))}
                >
                  {WHEN.map((w) => (
                    <option key={w.value} value={w.value}>
                      {w.label}
                    </option>
                  ))}
                </select>
                <span>→</span>
                <input
                  className="mono"
                  type="text"
                  value={rule.to}
                  placeholder="#callback"
                  aria-label="divert to"
                  onChange={(e) =>
                    change((d) => updateRule(d, i, j, { to: e.target.value }), `account.${i}.rules.${j}.to`)
                  }
                />
                <button
                  type="button"
                  className="icon-btn"
                  title="Remove rule"
                  onClick={() => change((d) => removeRule(d, i, j))}
                >
                  ✕
                </button>
              </div>
              <FieldProblems problems={at(`rules[${j}]`)} />
            </div>
          ))}
          <button type="button" className="btn btn--small" onClick={() => change((d) => addRule(d, i))}>
            + Add rule
          </button>
        </div>
      )}
      {!expanded && <FieldProblems problems={[...at('workingHours'), ...at('rules')]} />}
    </div>
  );
}
