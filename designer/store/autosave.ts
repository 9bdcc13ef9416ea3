// Unsaved work survives a closed tab, a crash and a restart on another port: the document is kept by
// the server (GET/PUT/DELETE /api/autosave, in the workspace) shortly after every change, and offered
// back when the flow is opened again and the autosave is newer than the file. A flow never saved is
// kept under its draft's path (draftPath) and offered back when the page starts without a file.
import type { FlowDocument } from '../../compiler/flow/schema';
import type { ApiClient } from '../api/client';

export interface AutosaveRecord {
  /** The file's path, or the draft path of a flow never saved. */
  path: string;
  /** ms since the epoch, when written. */
  savedAt: number;
  /** The version of the file the work started from (null: a new flow). */
  base: string | null;
  doc: FlowDocument;
}

export interface AutosaveSummary {
  path: string;
  savedAt: number;
  name: string;
}

/** Where autosaves go: the server in the page, a Map in tests. */
export interface AutosavePort {
  read(path: string): Promise<AutosaveRecord | null>;
  write(path: string, doc: FlowDocument, base: string | null): Promise<void>;
  clear(path: string): Promise<void>;
  list(): Promise<AutosaveSummary[]>;
}

/**
 * The record as checked by the flow schema, or null for anything else (damaged, not a flow); never rejects.
 * The check (zod) is loaded only when there is a record to check: most page loads have none.
 */
export async function checkAutosave(value: unknown): Promise<AutosaveRecord | null> {
  try {
    const v = value as { path?: unknown; savedAt?: unknown; base?: unknown; doc?: unknown } | null;
    if (!v || typeof v.path !== 'string' || typeof v.savedAt !== 'number') return null;
    const { parseFlowObject } = await import('../../compiler/flow/load');
    const { flow } = parseFlowObject(v.doc);
    if (!flow) return null;
    return { path: v.path, savedAt: v.savedAt, base: typeof v.base === 'string' ? v.base : null, doc: flow };
  } catch {
    return null;
  }
}

/** The server's autosave API; failures are swallowed (autosave is a convenience, the file is the truth). */
export function serverAutosave(
  api: Pick<ApiClient, 'readAutosave' | 'writeAutosave' | 'clearAutosave' | 'listAutosaves'>,
): AutosavePort {
  return {
    read: async (path) => checkAutosave(await api.readAutosave(path).catch(() => null)),
    write: (path, doc, base) => api.writeAutosave(path, doc, base).catch(() => undefined),
    clear: (path) => api.clearAutosave(path).catch(() => undefined),
    list: () => api.listAutosaves().catch(() => []),
  };
}

/** In memory (tests, a page without a server). */
export function memoryAutosave(now: () => number = Date.now): AutosavePort & { records: Map<string, AutosaveRecord> } {
  const records = new Map<string, AutosaveRecord>();
  return {
    records,
    read: async (path) => records.get(path) ?? null,
    write: async (path, doc, base) => void records.set(path, { path, savedAt: now(), base, doc }),
    clear: async (path) => void records.delete(path),
    list: async () =>
      [...records.values()]
        .sort((a, b) => b.savedAt - a.savedAt)
        .map((r) => ({ path: r.path, savedAt: r.savedAt, name: r.doc.name })),
  };
}

/** The draft id of a draft path (`.ivr-studio/drafts/<id>/flow.json`), or null for a file's path. */
export function draftOfPath(path: string): string | null {
  const m = /^\.ivr-studio\/drafts\/([A-Za-z0-9-]{8,64})\/flow\.json$/.exec(path);
  return m ? m[1]! : null;
}

/** Offer recovery when an autosave is newer than the file and differs from it. */
export function shouldOfferRecovery(
  record: Pick<AutosaveRecord, 'savedAt' | 'doc'> | null,
  file: FlowDocument | null,
  fileModified: number | null,
): boolean {
  if (!record) return false;
  if (fileModified !== null && record.savedAt <= fileModified) return false;
  return file === null || JSON.stringify(record.doc) !== JSON.stringify(file);
}
