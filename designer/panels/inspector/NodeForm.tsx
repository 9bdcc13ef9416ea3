// The form for the selected node, by type.
import type { FlowNode, NodeOf } from '../../../compiler/flow/schema';
import { CheckField, NumberField, SelectField, TextField } from './fields';
import { PromptPicker } from './PromptPicker';
import { MenuForm } from './MenuForm';
import { BusinessHoursForm } from './BusinessHoursForm';
import { useNodeEditor } from './useNodeEditor';
import { CodeForm, ModuleCallForm } from './CodeForms';

export function NodeForm({ node }: { node: FlowNode }) {
  return (
    <>
      <LabelField node={node} />
      {body(node)}
    </>
  );
}

function body(node: FlowNode) {
  switch (node.type) {
    case 'start':
      return <p className="muted small">The call is answered here. Connect “next” to the first step.</p>;
    case 'hangup':
      return <p className="muted small">The call ends here.</p>;
    case 'play':
      return <PlayForm node={node} />;
    case 'menu':
      return <MenuForm node={node} />;
    case 'collectDigits':
      return <CollectForm node={node} />;
    case 'sendEmail':
      return <EmailForm node={node} />;
    case 'businessHours':
      return <BusinessHoursForm node={node} />;
    case 'transfer':
      return <TransferForm node={node} />;
    case 'condition':
      return <ConditionForm node={node} />;
    case 'setVariable':
      return <SetVariableForm node={node} />;
    case 'recordVoicemail':
      return <RecordForm node={node} />;
    case 'code':
      return <CodeForm node={node} />;
    case 'moduleCall':
      return <ModuleCallForm node={node} />;
  }
}

function LabelField({ node }: { node: FlowNode }) {
  const { d, set, issues } = useNodeEditor(node);
  return (
    <TextField
      label="Label"
      value={d.label ?? ''}
      onChange={(v) => set('label', v || undefined)}
      problems={issues('label')}
      testId="inspector-label"
    />
  );
}

function PlayForm({ node }: { node: NodeOf<'play'> }) {
  const { d, set, issues } = useNodeEditor(node);
  return (
    <>
      <PromptPicker
        label="Prompts"
        value={d.prompts}
        onChange={(v) => set('prompts', v)}
        problems={issues('prompts')}
      />
      <CheckField
        label="Keys typed ahead skip the rest"
        value={d.interruptible}
        onChange={(v) => set('interruptible', v)}
      />
    </>
  );
}

function CollectForm({ node }: { node: NodeOf<'collectDigits'> }) {
  const { d, set, issues } = useNodeEditor(node);
  return (
    <>
      <PromptPicker
        label="Announcement"
        value={d.prompts}
        onChange={(v) => set('prompts', v)}
        problems={issues('prompts')}
      />
      <TextField
        label="Store in variable"
        value={d.variable}
        onChange={(v) => set('variable', v)}
        problems={issues('variable')}
        mono
      />
      <div className="field-row">
        <TextField label="End key" value={d.endKey} onChange={(v) => set('endKey', v)} problems={issues('endKey')} />
        <TextField
          label="Clear key"
          value={d.clearKey}
          onChange={(v) => set('clearKey', v)}
          problems={issues('clearKey')}
        />
      </div>
      <PromptPicker
        label="After clearing"
        value={d.clearPrompts}
        onChange={(v) => set('clearPrompts', v)}
        problems={issues('clearPrompts')}
        hint="Empty: the last announcement prompt"
      />
      <CheckField
        label="The clear key starts the new number (as the seed article's loop)"
        value={d.clearKeepsKey === true}
        onChange={(v) => set('clearKeepsKey', v || undefined)}
      />
      <NumberField
        label="Max digits"
        value={d.maxDigits}
        onChange={(v) => set('maxDigits', v)}
        problems={issues('maxDigits')}
        hint="0 = no limit"
        min={0}
      />
      <div className="field-row">
        <NumberField
          label="First digit within"
          unit="s"
          value={d.firstDigitTimeout}
          onChange={(v) => set('firstDigitTimeout', v)}
          problems={issues('firstDigitTimeout')}
        />
        <NumberField
          label="Between digits"
          unit="s"
          value={d.interDigitTimeout}
          onChange={(v) => set('interDigitTimeout', v)}
          problems={issues('interDigitTimeout')}
        />
      </div>
    </>
  );
}

function EmailForm({ node }: { node: NodeOf<'sendEmail'> }) {
  const { d, set, issues } = useNodeEditor(node);
  return (
    <>
      <TextField
        label="Subject"
        value={d.subject}
        onChange={(v) => set('subject', v)}
        problems={issues('subject')}
        testId="inspector-subject"
      />
      <TextField
        label="To"
        value={d.to}
        placeholder="the account called (MyEmail)"
        onChange={(v) => set('to', v)}
        problems={issues('to')}
      />
      <TextField label="From" value={d.from} onChange={(v) => set('from', v)} problems={issues('from')} />
      <TextField
        label="Body"
        value={d.body}
        multiline
        onChange={(v) => set('body', v)}
        problems={issues('body')}
        hint="{{variable}} placeholders; built-ins {{account}} {{domain}} {{caller}}"
      />
      <TextField
        label="Attach recording"
        value={d.attachRecording}
        placeholder="a voicemail variable, or empty"
        onChange={(v) => set('attachRecording', v)}
        problems={issues('attachRecording')}
        mono
      />
    </>
  );
}

const TRANSFER_MODE_OPTIONS = [
  { value: 'connect', label: 'Connect (ring, bridge; busy / no answer outputs)' },
  { value: 'blind', label: 'Blind transfer (TransferCall)' },
  { value: 'redirect', label: 'Redirect (RedirectCall, before the answer only)' },
] as const;

function TransferForm({ node }: { node: NodeOf<'transfer'> }) {
  const { d, set, issues } = useNodeEditor(node);
  return (
    <>
      <TextField
        label="Target"
        value={d.target}
        placeholder="account, extension, SIP URI or {{var}}"
        onChange={(v) => set('target', v)}
        problems={issues('target')}
      />
      <SelectField
        label="Mode"
        value={d.mode}
        options={TRANSFER_MODE_OPTIONS}
        onChange={(v) => set('mode', v)}
        problems={issues('mode')}
      />
      {d.mode === 'connect' && (
        <NumberField
          label="Ring for"
          value={d.ringSeconds}
          min={1}
          unit="s"
          onChange={(v) => set('ringSeconds', v)}
          problems={issues('ringSeconds')}
        />
      )}
    </>
  );
}

const OPERATORS = [
  { value: 'equals', label: 'equals' },
  { value: 'matches', label: 'matches (regular expression)' },
  { value: 'empty', label: 'is empty' },
] as const;

function ConditionForm({ node }: { node: NodeOf<'condition'> }) {
  const { d, set, issues } = useNodeEditor(node);
  return (
    <>
      <TextField
        label="Variable"
        value={d.variable}
        onChange={(v) => set('variable', v)}
        problems={issues('variable')}
        mono
      />
      <SelectField
        label="Test"
        value={d.operator}
        options={OPERATORS}
        onChange={(v) => set('operator', v)}
        problems={issues('operator')}
      />
      {d.operator !== 'empty' && (
        <TextField label="Value" value={d.value} onChange={(v) => set('value', v)} problems={issues('value')} mono />
      )}
    </>
  );
}

function SetVariableForm({ node }: { node: NodeOf<'setVariable'> }) {
  const { d, set, issues } = useNodeEditor(node);
  return (
    <>
      <TextField
        label="Variable"
        value={d.variable}
        onChange={(v) => set('variable', v)}
        problems={issues('variable')}
        mono
      />
      <TextField
        label="Value"
        value={d.value}
        onChange={(v) => set('value', v)}
        problems={issues('value')}
        hint="A template: text with {{variable}} placeholders"
        mono
      />
    </>
  );
}

function RecordForm({ node }: { node: NodeOf<'recordVoicemail'> }) {
  const { d, set, issues } = useNodeEditor(node);
  return (
    <>
      <PromptPicker
        label="Announcement"
        value={d.prompts}
        onChange={(v) => set('prompts', v)}
        problems={issues('prompts')}
      />
      <NumberField
        label="Longest message"
        unit="s"
        value={d.maxSeconds}
        onChange={(v) => set('maxSeconds', v)}
        problems={issues('maxSeconds')}
      />
      <TextField
        label="Store in variable"
        value={d.variable}
        onChange={(v) => set('variable', v)}
        problems={issues('variable')}
        mono
      />
    </>
  );
}
