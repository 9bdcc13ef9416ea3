// The helper task of a Connect transfer, as CommuniGate's stock applications hand a caller on: the
// ingress task spawns it and sends it a StartBridge; it places the outgoing call with
// StartBridgedCall (the answer bridges the ingress task's caller), rings for `ring` seconds, and stays
// while the two are bridged. It tells the ingress why there is no bridge (busy, no answer, failed).
import type { EntryDecl } from '../cgpl/ast';
import { parseCgpl } from '../cgpl';
import { CONNECT_ENTRY } from './lowerNodes';

const SOURCE = `entry ${CONNECT_ENTRY} is
  request = Vars().startParameter;
  bridge = ReadInput(30);
  if not IsStartBridgeEvent(bridge) then
    stop;
  end if;
  if StartBridgedCall(request.to, bridge) != null then
    RejectBridge(bridge, "failed");
    stop;
  end if;
  loop
    input = ReadInput(request.ring);
    exitif not IsCallProvisionEvent(input);
  end loop;
  if input == null then
    CancelCall();
    RejectBridge(bridge, "no answer");
    stop;
  end if;
  if not IsCallCompletedEvent(input) then
    CancelCall();
    RejectBridge(bridge, "failed");
    stop;
  end if;
  if input.parameter != null then
    stop;
  end if;
  loop
    input = ReadInput(3600);
    exitif IsDisconnectEvent(input) or IsBreakBridgeEvent(input);
  end loop;
end;
`;

/** The helper entry, parsed once per compile (callers may change the AST they get). */
export function connectEntry(): EntryDecl {
  const parsed = parseCgpl(SOURCE, 'connect.sppr');
  const decl = parsed.program?.decls[0];
  if (decl?.kind !== 'Entry') throw new Error('internal error: the Connect helper does not parse');
  return decl;
}
