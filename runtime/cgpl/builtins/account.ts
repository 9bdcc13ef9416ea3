// Account data: queues, groups, routing of addresses, the caller's authentication and the read-only
// CLI commands PBX programs use — onto the Call API's account side and the run's PBX data.
import { fromJs, TaskHandle, type Dict, type Value } from '../values';
import { fn, proc, str, type Builtin } from './builtin';
import { executeCli } from './cli';

function queueName(name: string, v: Value): string {
  return v === null ? '' : str(name, v, 1);
}

function info(i: { length: number; position?: number } | null): Value {
  if (!i) return null;
  const d: Dict = new Map([['length', BigInt(i.length)]]);
  if (i.position !== undefined) d.set('position', BigInt(i.position));
  return d;
}

const stringOrNull = (v: Value | undefined): string | null => (typeof v === 'string' ? v : null);

export const accountBuiltins: Builtin[] = [
  // Enqueue(queue, parameter, pty): pty is a one-digit priority ("5" when omitted); higher goes first
  fn('Enqueue', (t, [q, parameter, pty]) => {
    const priority =
      pty === undefined || pty === null ? '5' : typeof pty === 'bigint' ? String(pty) : str('Enqueue', pty, 3);
    if (!/^[0-9]$/.test(priority)) return null;
    return info(t.session.enqueue(queueName('Enqueue', q!), parameter ?? null, priority));
  }),
  fn('CheckQueue', (t, [q]) => info(t.session.checkQueue(queueName('CheckQueue', q!)))),
  fn('ReadQueue', (t, [q]) => {
    const entry = t.session.readQueue(queueName('ReadQueue', q!));
    if (!entry) return null;
    const d: Dict = new Map<string, Value>([['id', new TaskHandle(entry.id.taskId)]]);
    const p = fromJs(entry.parameter);
    if (p !== null) d.set('parameter', p);
    d.set('pty', entry.pty);
    return d;
  }),
  proc('Dequeue', (t, [q]) => t.session.dequeue(queueName('Dequeue', q!))),
  fn('ReadGroupMembers', (t, [g]) => t.session.readGroupMembers(str('ReadGroupMembers', g!, 1))),
  fn('RouteLocalURI', (t, [u]) => t.session.routeLocalUri(str('RouteLocalURI', u!, 1))),
  fn('RemoteAuthentication', (t) => t.session.remoteAuthentication()),
  fn('SIPURIToEmail', (_t, [u]) => sipUriToEmail(stringOrNull(u))),
  fn('EmailToSIPURI', (_t, [e]) => emailToSipUri(stringOrNull(e))),
  fn('EmailDomainPart', (_t, [a]) => {
    const s = stringOrNull(a);
    return s?.includes('@') ? s.slice(s.indexOf('@') + 1) : null;
  }),
  fn('EmailUserPart', (_t, [a]) => {
    const s = stringOrNull(a);
    return s === null ? null : s.includes('@') ? s.slice(0, s.indexOf('@')) : s;
  }),
  fn('ExecuteCLI', (t, [cmd]) => {
    const { error, result } = executeCli(t.session, str('ExecuteCLI', cmd!, 1));
    if (result === null) t.vars.delete('executeCLIResult');
    else t.vars.set('executeCLIResult', result);
    return error;
  }),
];

/** "sip:ivanov@company.com;transport=udp" / "<sip:…>" → "ivanov@company.com"; null when it is no SIP URI. */
export function sipUriToEmail(uri: string | null): string | null {
  if (uri === null) return null;
  const m = /^\s*(?:[^<]*<)?sips?:([^@;?>\s]+)@([^;?>\s:]+)(?::\d+)?/i.exec(uri);
  return m ? `${m[1]}@${m[2]}` : null;
}

/** "ivanov@company.com" → "sip:ivanov@company.com"; null when it is no e-mail address. */
export function emailToSipUri(email: string | null): string | null {
  if (email === null) return null;
  const m = /^\s*([^@\s<>"]+)@([A-Za-z0-9.-]+)\s*$/.exec(email);
  return m ? `sip:${m[1]}@${m[2]}` : null;
}
