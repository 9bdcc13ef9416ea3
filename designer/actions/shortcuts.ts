// Keyboard shortcuts: "Mod+Shift+Z" strings matched against key events (Mod = Cmd on macOS, else Ctrl).
import { actions, type ActionName } from './index';
import type { Action } from './types';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export function matches(shortcut: string, e: KeyLike, mac: boolean): boolean {
  const parts = shortcut.split('+');
  const key = parts.pop()!;
  const mods = new Set(parts);
  const mod = mac ? e.metaKey : e.ctrlKey;
  if (mods.has('Mod') !== mod) return false;
  if (mods.has('Alt') !== e.altKey) return false;
  // '?' is typed with Shift on most layouts: the key itself says enough.
  if (key !== '?' && mods.has('Shift') !== e.shiftKey) return false;
  if (!mac && e.metaKey) return false;
  return e.key.length === 1 ? e.key.toLowerCase() === key.toLowerCase() : e.key === key;
}

/** Shortcuts that still work while typing in a text field. */
const IN_FIELDS = new Set<ActionName>(['save', 'saveAs', 'closeDialog', 'find']);

/** The action a key press runs, or null. */
export function actionForKey(e: KeyLike, mac: boolean, inField: boolean): ActionName | null {
  for (const [name, action] of Object.entries(actions) as [ActionName, Action<unknown>][]) {
    if (inField && !IN_FIELDS.has(name)) continue;
    const all = [action.shortcut, ...(action.alsoShortcuts ?? [])].filter((s): s is string => !!s);
    if (all.some((s) => matches(s, e, mac))) return name;
  }
  return null;
}

/** "Mod+Shift+S" → "Ctrl+Shift+S" or "⌘⇧S" for display. */
export function displayShortcut(shortcut: string, mac: boolean): string {
  if (!mac) return shortcut.replace('Mod', 'Ctrl');
  return shortcut.replace('Mod+', '⌘').replace('Shift+', '⇧').replace('Alt+', '⌥');
}
