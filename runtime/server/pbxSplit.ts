// A flow folder with a pbx.json keeps its PBX environment there, not in flow.json. The designer edits
// one document (`flow.environment`): the file routes hand it the folder's environment when a flow is
// opened and, when it is saved, write the environment back to pbx.json and the flow without it.
import { dirname, join } from 'node:path';
import type { FlowDocument } from '../../compiler/flow/schema';
import { PBX_FILE, PBX_FORMAT } from '../../compiler/flow/pbx';
import { loadPbxFile } from '../call/pbxFile';
import { writeAtomic } from '../fs/atomic';
import { HttpError } from './http';

/** The flow with its folder's pbx.json as `environment` (unchanged when there is none). */
export async function withFolderEnvironment(flow: FlowDocument, fullPath: string): Promise<FlowDocument> {
  const { pbx, problems } = await loadPbxFile(dirname(fullPath));
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new HttpError(400, `${PBX_FILE} beside the flow has errors`, errors);
  if (!pbx) return flow;
  const { format: _format, ...environment } = pbx;
  return { ...flow, environment };
}

/**
 * Saving: when the folder has a pbx.json, the flow's environment goes there and the flow is written
 * without one. Returns what to write as flow.json.
 */
export async function splitFolderEnvironment(value: Record<string, unknown>, fullPath: string): Promise<unknown> {
  const dir = dirname(fullPath);
  const { pbx } = await loadPbxFile(dir);
  if (!pbx || value.environment === undefined) return value;
  const { environment, ...flow } = value;
  await writeAtomic(
    join(dir, PBX_FILE),
    JSON.stringify({ format: PBX_FORMAT, ...(environment as object) }, null, 2) + '\n',
  );
  return flow;
}
