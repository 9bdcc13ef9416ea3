// Flow documents arriving from the designer: parsed, validated against the workspace (prompt files
// must exist and stay inside it), and located in their folder.
import { statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseFlowObject, validateFlow, type FlowDocument, type Problem } from '../../compiler/flow';
import { HttpError } from './http';
import { insideWorkspaceSync, resolveInWorkspace } from './security';

/** The flow in a request body, or 400 with the loader's problems. */
export function flowFromBody(value: unknown): { flow: FlowDocument; problems: Problem[] } {
  if (value === undefined) throw new HttpError(400, '"flow" is required');
  const loaded = parseFlowObject(value);
  if (!loaded.flow) throw new HttpError(400, 'not a flow document', loaded.problems);
  return { flow: loaded.flow, problems: loaded.problems };
}

/** The folder of a workspace-relative flow path (the workspace itself when there is none). */
export async function flowDir(workspace: string, path: string | undefined): Promise<string> {
  if (path === undefined) return workspace;
  return dirname(await resolveInWorkspace(workspace, path));
}

/**
 * validateFlow with the prompt-file check kept inside the workspace: a file outside it is an error
 * of its own rather than something the server looks at.
 */
export function checkFlow(flow: FlowDocument, workspace: string, dir: string | null): Problem[] {
  const escapes: Problem[] = [];
  if (dir !== null) {
    for (const [name, prompt] of Object.entries(flow.prompts)) {
      for (const [language, file] of Object.entries(prompt.files)) {
        if (isAbsolute(file) || insideWorkspaceSync(workspace, resolve(dir, file)) === null) {
          escapes.push({
            severity: 'error',
            code: 'FLOW320',
            message: `prompt ${name}: ${language} file '${file}' is outside the workspace`,
            field: `prompts.${name}.files.${language}`,
          });
        }
      }
    }
  }
  const fileExists = (file: string): boolean => {
    if (dir === null) return true;
    const inside = isAbsolute(file) ? null : insideWorkspaceSync(workspace, resolve(dir, file));
    // Reported above as outside the workspace; not checked on disk. A pipe or device is no prompt
    // (reading it would block the call or the export).
    if (inside === null) return true;
    try {
      return statSync(inside).isFile();
    } catch {
      return false;
    }
  };
  return [...escapes, ...validateFlow(flow, { fileExists })];
}

export function errorsOf(problems: Problem[]): Problem[] {
  return problems.filter((p) => p.severity === 'error');
}
