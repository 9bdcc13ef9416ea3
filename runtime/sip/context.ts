// What the parts of a running SIP server share: its options, the programs and PBX accounts, the
// engine, the address rules, admission, the calls. Built once by startSipServer (server.ts).
import type { Clock } from '../call/clock';
import type { MailSender } from '../call/simulated';
import type { PbxEnvironment } from '../../compiler/flow/schema';
import type { Program } from '../host/program';
import type { Addresses } from './addresses';
import type { Admission } from './admission';
import type { SipCall, SipCallResult } from './call';
import type { SipEngine, Timers } from './engine';
import type { MediaOpener } from './media';
import type { CallRegistry } from './registry';
import type { SipRegistrar } from './registrar';
import type { OutgoingLeg } from './outgoing';

export interface ServerContext {
  programs: Program[];
  pbx: PbxEnvironment;
  engine: SipEngine;
  addresses: Addresses;
  admission: Admission;
  calls: CallRegistry;
  timers: Timers;
  clock: Clock;
  target: 'cgpl' | 'js';
  isolate: boolean;
  ring: boolean;
  mailer?: MailSender;
  openMedia?: MediaOpener;
  registrar?: SipRegistrar;
  /** Outgoing legs by Call-ID: the callee's BYE and INFO find them. */
  legs: Map<string, OutgoingLeg>;
  onCall?: (call: SipCall) => void;
  onCallEnd?: (call: SipCall, result: SipCallResult) => void;
  onError: (text: string) => void;
}

/** Methods we answer (Allow:). REGISTER only with a registrar. */
export function allowed(ctx: ServerContext): string {
  return `INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, NOTIFY${ctx.registrar ? ', REGISTER' : ''}`;
}
