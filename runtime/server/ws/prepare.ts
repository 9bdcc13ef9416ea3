// call.start → a Program to run: the flow is parsed, checked against the workspace and compiled.
import { loadPbxFile } from '../../call/environment';
import { PBX_FILE } from '../../../compiler/flow/pbx';
import { parseFlowObject, type Problem } from '../../../compiler/flow';
import type { SourceMap } from '../../../compiler/generate';
import { programFromFlow } from '../../host';
import type { ServerContext } from '../context';
import { checkFlow, errorsOf, flowDir } from '../flows';
import { HttpError } from '../http';
import type { LiveCallOptions } from './calls';
import type { ClientMessage } from './messages';

type Start = Extract<ClientMessage, { type: 'call.start' }>;

export type Prepared =
  | {
      options: Omit<LiveCallOptions, 'id' | 'mailer' | 'workspace' | 'send'>;
      sppr: string;
      sourceMap: SourceMap | null;
    }
  | { error: string; problems?: Problem[] };

export async function prepareCall(ctx: ServerContext, message: Start): Promise<Prepared> {
  let at: Date | undefined;
  if (message.at !== undefined && message.at !== '') {
    at = new Date(message.at);
    if (Number.isNaN(at.getTime()))
      return {
        error: `"at" is not a date and time: ${JSON.stringify(message.at)} (expected ISO 8601, e.g. 2026-11-29T23:00)`,
      };
  }
  let dir: string;
  try {
    dir = await flowDir(ctx.workspace, message.path);
  } catch (err) {
    return { error: err instanceof HttpError ? err.message : String(err) };
  }
  const loaded = parseFlowObject(message.flow);
  if (!loaded.flow) return { error: 'not a flow document', problems: loaded.problems };
  const problems = checkFlow(loaded.flow, ctx.workspace, dir);
  const errors = errorsOf(problems);
  if (errors.length > 0)
    return { error: `the flow has ${errors.length} error${errors.length === 1 ? '' : 's'}`, problems: errors };
  const pbx = await loadPbxFile(dir);
  const pbxErrors = errorsOf(pbx.problems);
  if (pbxErrors.length > 0) return { error: `${PBX_FILE} has ${pbxErrors.length} error(s)`, problems: pbxErrors };
  // Prompt files were checked above, inside the workspace; the build does not look at the disk again.
  const built = programFromFlow(loaded.flow, {
    dir,
    ...(message.path ? { file: message.path } : {}),
    ...(pbx.pbx ? { pbx: pbx.pbx } : {}),
    fileExists: () => true,
  });
  if (!built.program)
    return { error: built.errors.join('\n') || 'the flow could not be compiled', problems: errorsOf(built.problems) };
  return {
    options: {
      program: built.program,
      target: message.target ?? 'cgpl',
      breakpoints: message.breakpoints ?? [],
      refuseEmail: message.smtp === 'refuse',
      ...(message.account ? { account: message.account } : {}),
      ...(message.language ? { language: message.language } : {}),
      ...(at ? { at } : {}),
      ...(message.startParameter !== undefined ? { startParameter: message.startParameter } : {}),
      ...(message.parties ? { parties: message.parties } : {}),
    },
    sppr: built.program.cgpl.text,
    sourceMap: built.sourceMap,
  };
}
