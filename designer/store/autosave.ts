// Unsaved work survives a closed tab: the document is written to localStorage (one key per file) on
// every change, and offered back on load when it is newer than the file.
import type { FlowDocument } from '../../compiler/flow/schema';
import { parseFlowObject } from '../../compiler/flow/load';

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

/** Null for anything that is not a readable record (old version, damaged, not a flow). */
export function parseAutosave(text: string | null): AutosaveRecord | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as { v?: unknown; path?: unknown; savedAt?: unknown; doc?: unknown };
    if (value.v !== VERSION || typeof value.savedAt !== 'number') return null;
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

export function readAutosave(store: KeyValueStore, path: string | null): AutosaveRecord | null {
  try {
    return parseAutosave(store.getItem(autosaveKey(path)));
  } catch {
    return null;
  }
}

export function clearAutosave(store: KeyValueStore, path: string | null): void {
  try {
    store.removeItem(autosaveKey(path));
  } catch {
    /* see writeAutosave */
  }
}

/** Offer recovery when an autosave is newer than the file and differs from it. */
export function shouldOfferRecovery(record: AutosaveRecord | null, file: FlowDocument | null, fileModified: number | null): boolean {
  if (!record) return false;
  if (fileModified !== null && record.savedAt <= fileModified) return false;
  return file === null || JSON.stringify(record.doc) !== JSON.stringify(file);
}
