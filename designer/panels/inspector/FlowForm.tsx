// With nothing selected: the flow's own settings and its PBX environment.
import { useFlow, useApp, useProblems } from '../../hooks/useApp';
import { TextField } from './fields';
import { AccountsEditor } from '../AccountsEditor';
import type { FlowDocument } from '../../../compiler/flow/schema';

export function FlowForm() {
  const app = useApp();
  const doc = useFlow((s) => s.doc);
  const problems = useProblems((s) => s.problems);
  const at = (field: string) =>
    problems.filter((p) => p.nodeId === undefined && (p.field === field || p.field?.startsWith(`${field}.`)));
  const change = (field: string, recipe: (d: FlowDocument) => FlowDocument) =>
    app.flow.getState().change(recipe, `flow.${field}`);
  const env = doc.environment;
  return (
    <div className="form">
      <h3 className="panel-title">Flow</h3>
      <TextField
        label="Application name"
        value={doc.name}
        onChange={(v) => change('name', (d) => ({ ...d, name: v }))}
        problems={at('name')}
        hint={`Exports ${doc.name || '…'}.sppr`}
        mono
      />
      <TextField
        label="Description"
        value={doc.description}
        multiline
        onChange={(v) => change('description', (d) => ({ ...d, description: v }))}
      />
      <TextField
        label="Languages"
        value={doc.languages.join(', ')}
        onChange={(v) => change('languages', (d) => ({ ...d, languages: v.split(/[\s,]+/).filter(Boolean) }))}
        problems={at('languages')}
        hint="Language folders, e.g. english, russian"
      />
      <TextField
        label="Default language"
        value={doc.defaultLanguage}
        onChange={(v) => change('defaultLanguage', (d) => ({ ...d, defaultLanguage: v }))}
        problems={at('defaultLanguage')}
      />
      <h3 className="panel-title">PBX environment</h3>
      <TextField
        label="Domain"
        value={env.domain}
        onChange={(v) => change('env.domain', (d) => ({ ...d, environment: { ...d.environment, domain: v } }))}
        problems={at('environment.domain')}
      />
      <TextField
        label="Default account"
        value={env.defaultAccount}
        onChange={(v) => change('env.account', (d) => ({ ...d, environment: { ...d.environment, defaultAccount: v } }))}
        problems={at('environment.defaultAccount')}
      />
      <TextField
        label="Time zone"
        value={env.timeZone}
        onChange={(v) => change('env.tz', (d) => ({ ...d, environment: { ...d.environment, timeZone: v } }))}
        problems={at('environment.timeZone')}
      />
      <AccountsEditor />
      <p className="muted small">Select a node to edit it.</p>
    </div>
  );
}
