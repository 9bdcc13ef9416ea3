// One line per trace event for the Trace panel. (The runtime has its own formatter for the CLI; the
// designer imports only types from runtime/, so the page never pulls in server code.)
import type { TraceEvent } from '../../runtime/call/trace';
import { formatDiagnostic } from '../../compiler/diagnostics';

export function traceOffset(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const m = Math.floor(total / 60_000);
  const s = Math.floor((total % 60_000) / 1000);
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(total % 1000).padStart(3, '0')}`;
}

export function describeTrace(e: TraceEvent): { label: string; text: string } {
  const at = (label: string, text: string) => ({ label, text });
  switch (e.kind) {
    case 'call-started':
      return at('call', `${e.from} → ${e.to} (account ${e.account}, ${e.language})`);
    case 'answered':
      return at('answer', 'AcceptCall');
    case 'prompt-started':
      return at('prompt', `${e.name} (${e.language}${e.path ? `: ${e.path}` : ', no file'})`);
    case 'prompt-finished':
      return at('played', e.name);
    case 'prompt-cut':
      return at('cut', `${e.name} after ${(e.afterMs / 1000).toFixed(1)} s (${e.reason})`);
    case 'prompt-skipped':
      return at('skipped', `${e.name} (${e.reason})`);
    case 'prompt-missing':
      return at('missing', `${e.name} (${e.language}): ${e.reason}`);
    case 'waiting':
      return at('wait', `ReadInput ${e.timeout} s`);
    case 'digit':
      return at('digit', `${e.digit} (${e.source})`);
    case 'input-timeout':
      return at('timeout', `no input in ${e.timeout} s`);
    case 'event':
      return at('event', e.sender ? `${e.what} from ${e.sender}` : e.what);
    case 'email-queued':
      return at('email', `to ${e.to}: "${e.subject}" queued`);
    case 'email-failed':
      return at('email', `to ${e.to}: "${e.subject}" FAILED: ${e.error}`);
    case 'transfer':
      return at('transfer', e.target);
    case 'record':
      return at('record', `${e.seconds} s, ${e.bytes} bytes`);
    case 'hangup':
      return at('hangup', `by ${e.by}`);
    case 'error':
      return at('error', formatDiagnostic(e));
    case 'node':
      return at('node', e.id);
    case 'log':
      return at('log', e.text);
    default:
      return at('event', JSON.stringify(e));
  }
}
