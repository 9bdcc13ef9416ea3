// Unsaved work survives a closed tab: the document is written to localStorage (one key per file) on
// every change, and offered back on load when it is newer than the file.
import type { FlowDocument } from '../../compiler/flow/schema';

export const AUTOSAVE_PREFIX = 'ivr-studio.autosave:';
const VERSION = 1;

export interface AutosaveRecord {
  path: string | null;
  /** ms since the epoch, when written. */
  savedAt: number;
  doc: FlowDocument;
}

/** The part of Storage used here (localStorage in the page, a Map in tests). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function autosaveKey(path: string | null): string {
  return AUTOSAVE_PREFIX + (path ?? '(untitled)');
}

export function serialiseAutosave(record: AutosaveRecord): string {
  return JSON.stringify({ v: VERSION, path: record.path, savedAt: record.savedAt, doc: record.doc });
}

/**
 * Null for anything that is not a readable record (old version, damaged, not a flow); never rejects.
 * The flow check (zod) is loaded only when there is a record to check: most page loads have none.
 */
export async function parseAutosave(text: string | null): Promise<AutosaveRecord | null> {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as { v?: unknown; path?: unknown; savedAt?: unknown; doc?: unknown };
    if (value.v !== VERSION || typeof value.savedAt !== 'number') return null;
    const { parseFlowObject } = await import('../../compiler/flow/load');
    const { flow } = parseFlowObject(value.doc);
    if (!flow) return null;
    return { path: typeof value.path === 'string' ? value.path : null, savedAt: value.savedAt, doc: flow };
  } catch {
    return null;
  }
}

export function writeAutosave(store: KeyValueStore, record: AutosaveRecord): void {
  try {
    store.setItem(autosaveKey(record.path), serialiseAutosave(record));
  } catch {
    // Quota exceeded or storage disabled: autosave is a convenience, the file is the truth.
  }
}

export async function readAutosave(store: KeyValueStore, path: string | null): Promise<AutosaveRecord | null> {
  let text: string | null;
  try {
    text = store.getItem(autosaveKey(path));
  } catch {
    return null;
  }
  return parseAutosave(text);
}

export function clearAutosave(store: KeyValueStore, path: string | null): void {
  try {
    store.removeItem(autosaveKey(path));
  } catch {
    /* see writeAutosave */
  }
}

/** Offer recovery when an autosave is newer than the file and differs from it. */
export function shouldOfferRecovery(
  record: AutosaveRecord | null,
  file: FlowDocument | null,
  fileModified: number | null,
): boolean {
  if (!record) return false;
  if (fileModified !== null && record.savedAt <= fileModified) return false;
  return file === null || JSON.stringify(record.doc) !== JSON.stringify(file);
}
