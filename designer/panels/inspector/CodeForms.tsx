// The forms of the CG/PL code node and the module call node. The code is checked by the same front
// end as the compiler's (validation runs as you type); problems name line:column inside the block.
import type { NodeOf } from '../../../compiler/flow/schema';
import { CheckField, SelectField, TextField } from './fields';
import { useNodeEditor } from './useNodeEditor';

const list = (text: string) =>
  text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');

export function CodeForm({ node }: { node: NodeOf<'code'> }) {
  const { d, set, issues } = useNodeEditor(node);
  return (
    <>
      <TextField
        label="CG/PL statements"
        value={d.code}
        onChange={(v) => set('code', v)}
        problems={issues('code')}
        hint='Leave by an exit with exit = "name"; otherwise by the first exit'
        multiline
        mono
        testId="inspector-code"
      />
      <TextField
        label="Exits"
        value={d.exits.join(', ')}
        onChange={(v) => set('exits', list(v))}
        problems={issues('exits')}
        mono
      />
      <CheckField label="Answer the call first" value={d.answer} onChange={(v) => set('answer', v)} />
    </>
  );
}

export function ModuleCallForm({ node }: { node: NodeOf<'moduleCall'> }) {
  const { d, set, issues } = useNodeEditor(node);
  return (
    <>
      <TextField
        label="Module (.sppi)"
        value={d.module}
        onChange={(v) => set('module', v)}
        problems={issues('module')}
        mono
      />
      <TextField
        label="Routine"
        value={d.routine}
        onChange={(v) => set('routine', v)}
        problems={issues('routine')}
        mono
      />
      <SelectField
        label="Kind"
        value={d.kind}
        options={[
          { value: 'procedure', label: 'procedure' },
          { value: 'function', label: 'function (keeps a value)' },
        ]}
        onChange={(v) => set('kind', v)}
      />
      <TextField
        label="Arguments (one per line)"
        value={d.args.join('\n')}
        onChange={(v) => set('args', v.split('\n'))}
        problems={issues('args')}
        hint="Templates: text with {{variable}} placeholders"
        multiline
        mono
      />
      {d.kind === 'function' && (
        <TextField
          label="Result variable"
          value={d.result}
          onChange={(v) => set('result', v)}
          problems={issues('result')}
          mono
        />
      )}
      <CheckField label="Answer the call first" value={d.answer} onChange={(v) => set('answer', v)} />
    </>
  );
}
