// A designer action context without a page: in-memory clipboard, storage and downloads.
import { readFileSync } from 'node:fs';
import { parseFlowObject } from '../../compiler/flow/load';
import type { FlowDocument } from '../../compiler/flow/schema';
import { createFlowStore, type FlowStoreOptions } from '../../designer/store/flowStore';
import { createUiStore } from '../../designer/store/uiStore';
import { createCallStore } from '../../designer/call/callStore';
import { memoryClipboard, type ActionContext, type ClipboardPort } from '../../designer/actions/types';
import { memoryAutosave } from '../../designer/store/autosave';

export function callbackFlow(): FlowDocument {
  const { flow } = parseFlowObject(JSON.parse(readFileSync('samples/callback/flow.json', 'utf8')));
  if (!flow) throw new Error('samples/callback/flow.json did not load');
  return flow;
}

/** A Map behind the page-storage interface. */
export function memoryStorage(): { getItem(k: string): string | null; setItem(k: string, v: string): void } {
  const map = new Map<string, string>();
  return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
}

export interface TestContext extends ActionContext {
  autosave: ReturnType<typeof memoryAutosave>;
  downloads: { name: string; data: Blob }[];
  messages: () => string[];
}

export function testContext(options: FlowStoreOptions = {}, clipboard: ClipboardPort = memoryClipboard()): TestContext {
  const downloads: { name: string; data: Blob }[] = [];
  const ui = createUiStore();
  return {
    flow: createFlowStore(options),
    ui,
    call: createCallStore(),
    api: null,
    clipboard,
    autosave: memoryAutosave(),
    storage: memoryStorage(),
    canvas: null,
    calls: null,
    download: (name, data) => void downloads.push({ name, data }),
    ask: () => null,
    confirm: () => true,
    choose: () => null,
    downloads,
    messages: () => ui.getState().toasts.map((t) => t.text),
  };
}
