// The DTMF keypad: 0-9 * #. Keyboard digits work too while the phone panel has focus.
import { memo } from 'react';
import { runAction } from '../actions';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
const SUB: Record<string, string> = {
  2: 'ABC',
  3: 'DEF',
  4: 'GHI',
  5: 'JKL',
  6: 'MNO',
  7: 'PQRS',
  8: 'TUV',
  9: 'WXYZ',
};

export function keyTestId(k: string): string {
  return k === '#' ? 'key-hash' : k === '*' ? 'key-star' : `key-${k}`;
}

export const Keypad = memo(function Keypad({ enabled }: { enabled: boolean }) {
  return (
    <div className="keypad">
      {KEYS.map((k) => (
        <button
          key={k}
          type="button"
          className="key"
          disabled={!enabled}
          data-testid={keyTestId(k)}
          onClick={() => void runAction('sendDigits', { digits: k })}
        >
          <span className="key__digit">{k}</span>
          <span className="key__sub">{SUB[k] ?? ''}</span>
        </button>
      ))}
    </div>
  );
});
