// Global shortcuts: one keydown listener that runs the matching action.
import { useEffect } from 'react';
import { runAction } from '../actions';
import { actionForKey } from '../actions/shortcuts';

const MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function isMac(): boolean {
  return MAC;
}

export function useKeyboard(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const inField = !!target?.closest('input, textarea, select, [contenteditable="true"], .cm-editor');
      const name = actionForKey(e, MAC, inField);
      if (!name) return;
      // Digits typed into the phone go to the keypad, not to shortcuts (there are none on digits anyway).
      e.preventDefault();
      void runAction(name as Parameters<typeof runAction>[0], undefined as never);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
