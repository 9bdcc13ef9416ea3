// Live SIP from the designer: one SIP runtime per server, on 127.0.0.1, running a saved flow, so a
// softphone can call it. Every call's trace and SIP messages stream to every socket as they happen;
// e-mails go to the server's outbox like those of test calls.
import { loadPbxFile } from '../../call/environment';
import { PBX_FILE } from '../../../compiler/flow/pbx';
import { readFile } from 'node:fs/promises';
import { loadFlow, type Problem } from '../../../compiler/flow';
import { programFromFlow, type Program } from '../../host';
import { startSipServer, type SipCall, type SipServer } from '../../sip';
import type { TraceEvent } from '../../call/trace';
import type { ServerContext } from '../context';
import { checkFlow, errorsOf, flowDir } from '../flows';
import { HttpError } from '../http';
import { resolveInWorkspace, workspaceRelative } from '../security';
import type { LiveRegistration, SipMessage } from './protocol';

/** Server → client messages of the live SIP runtime (protocol.ts). */
export type { SipMessage };

type Send = (message: SipMessage) => void;

export interface LiveSip {
  /** Loads the saved flow at `path` and (re)starts the SIP runtime with it; problems go to `reply`. */
  start(path: string, reply: Send): Promise<void>;
  stop(): Promise<void>;
  /** What a socket that connects now should be told (sip.started, or nothing). */
  current(): SipMessage | null;
}

/** A registered device as the Live SIP panel lists it. */
export type { LiveRegistration };

function listed(server: SipServer | null): LiveRegistration[] {
  return (server?.registrations() ?? []).map((b) => ({
    account: b.account,
    contact: b.contact,
    source: b.source,
    userAgent: b.userAgent,
    expiresAt: b.expiresAt,
  }));
}

export function createLiveSip(ctx: ServerContext, broadcast: Send): LiveSip {
  let server: SipServer | null = null;
  let started: Extract<SipMessage, { type: 'sip.started' }> | null = null;
  // start/stop one after the other: two quick sip.start must not leave two runtimes listening.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  const emit: Send = (m) => {
    try {
      broadcast(m);
    } catch {
      // A closed socket must not break a call.
    }
  };

  /** `always`: say sip.stopped even when nothing ran, so every designer shows the same. */
  async function close(always: boolean): Promise<void> {
    const old = server;
    server = null;
    started = null;
    if (old) await old.close().catch(() => undefined);
    if (old || always) emit({ type: 'sip.stopped' });
  }

  function watch(call: SipCall): void {
    emit({ type: 'sip.call', callId: call.callId, from: call.session.remoteUri() ?? '', to: call.session.localUri() });
    // The INVITE (and anything before onCall) is already logged; the rest arrives through log().
    for (const entry of call.messages) emit({ type: 'sip.message', callId: call.callId, entry });
    for (const event of call.trace.list()) emit({ type: 'sip.trace', callId: call.callId, event: withAudio(event) });
    // SipCall has no message event; log() is the one place every message of the call passes.
    const log = call.log.bind(call);
    call.log = (dir, m, peer) => {
      const before = call.messages.length;
      log(dir, m, peer);
      for (const entry of call.messages.slice(before)) emit({ type: 'sip.message', callId: call.callId, entry });
    };
    call.trace.subscribe((event) => emit({ type: 'sip.trace', callId: call.callId, event: withAudio(event) }));
  }

  /** prompt-started carries the file as a workspace path for /api/audio, as for test calls. */
  function withAudio(event: TraceEvent): TraceEvent & { audio?: string | null } {
    if (event.kind !== 'prompt-started') return event;
    return { ...event, audio: event.path === null ? null : workspaceRelative(ctx.workspace, event.path) };
  }

  return {
    start(path, reply) {
      return serial(async () => {
        const loaded = await loadSaved(ctx, path);
        if ('error' in loaded) return reply({ type: 'sip.error', ...loaded });
        await close(false);
        try {
          server = await startSipServer({
            programs: loaded.program,
            host: '127.0.0.1',
            port: 0,
            transports: ['udp', 'tcp'],
            mailer: ctx.mailer,
            onCall: watch,
            // Phones register as the flow's accounts that have a password in pbx.json.
            registrar: {
              ifPasswords: true,
              onChange: () => emit({ type: 'sip.registrations', registrations: listed(server) }),
            },
            onCallEnd: (call, result) => emit({ type: 'sip.ended', callId: call.callId, endedBy: result.endedBy }),
          });
        } catch (err) {
          return reply({
            type: 'sip.error',
            error: `the SIP runtime did not start: ${err instanceof Error ? err.message : String(err)}`,
          });
        }
        const at = `@${server.address}:${server.port}`;
        const accounts =
          loaded.program.environment.directory?.pbx.accounts.map((a) => `sip:${encodeURIComponent(a.name)}${at}`) ?? [];
        started = { type: 'sip.started', uri: `sip:${encodeURIComponent(loaded.program.name)}${at}`, accounts, path };
        emit(started);
      });
    },
    stop() {
      return serial(() => close(true));
    },
    current() {
      return started && server ? { ...started, registrations: listed(server) } : started;
    },
  };
}

/** The saved flow file, compiled; prompt files are kept inside the workspace as for test calls. */
async function loadSaved(
  ctx: ServerContext,
  path: string,
): Promise<{ program: Program } | { error: string; problems?: Problem[] }> {
  let file: string;
  let dir: string;
  try {
    file = await resolveInWorkspace(ctx.workspace, path);
    dir = await flowDir(ctx.workspace, path);
  } catch (err) {
    return { error: err instanceof HttpError ? err.message : String(err) };
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      error: `${path}: cannot read: ${code === 'ENOENT' ? 'no such file (save the flow first)' : (code ?? String(err))}`,
    };
  }
  const loaded = loadFlow(text, path);
  if (!loaded.flow) return { error: `${path} is not a flow document`, problems: loaded.problems };
  const errors = errorsOf(checkFlow(loaded.flow, ctx.workspace, dir));
  if (errors.length > 0)
    return { error: `the flow has ${errors.length} error${errors.length === 1 ? '' : 's'}`, problems: errors };
  const pbx = await loadPbxFile(dir);
  const pbxErrors = errorsOf(pbx.problems);
  if (pbxErrors.length > 0) return { error: `${PBX_FILE} has ${pbxErrors.length} error(s)`, problems: pbxErrors };
  const built = programFromFlow(loaded.flow, {
    dir,
    file: path,
    ...(pbx.pbx ? { pbx: pbx.pbx } : {}),
    fileExists: () => true,
  });
  if (!built.program)
    return { error: built.errors.join('\n') || 'the flow could not be compiled', problems: errorsOf(built.problems) };
  return { program: built.program };
}
