// Defined once at module level: React Flow re-mounts every node when this object changes.
import type { NodeTypes } from '@xyflow/react';
import { StartNode } from './StartNode';
import { PlayNode } from './PlayNode';
import { MenuNode } from './MenuNode';
import { CollectDigitsNode } from './CollectDigitsNode';
import { SendEmailNode } from './SendEmailNode';
import { BusinessHoursNode } from './BusinessHoursNode';
import { TransferNode } from './TransferNode';
import { ConditionNode } from './ConditionNode';
import { SetVariableNode } from './SetVariableNode';
import { RecordVoicemailNode } from './RecordVoicemailNode';
import { HangupNode } from './HangupNode';
import { StickyNote } from './StickyNote';
import { CodeNode, ModuleCallNode } from './CodeNode';

export const nodeTypes = {
  start: StartNode,
  play: PlayNode,
  menu: MenuNode,
  collectDigits: CollectDigitsNode,
  sendEmail: SendEmailNode,
  businessHours: BusinessHoursNode,
  transfer: TransferNode,
  condition: ConditionNode,
  setVariable: SetVariableNode,
  recordVoicemail: RecordVoicemailNode,
  hangup: HangupNode,
  code: CodeNode,
  moduleCall: ModuleCallNode,
  note: StickyNote,
} as NodeTypes;
