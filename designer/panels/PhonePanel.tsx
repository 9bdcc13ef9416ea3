// The simulator: call settings, Call / Hang up, keypad, countdown, debugger and variables; then Live
// SIP (real softphone calls to the saved flow).
import { memo, type KeyboardEvent } from 'react';
import { runAction } from '../actions';
import { useApp, useCall, useFlow } from '../hooks/useApp';
import { Keypad } from './Keypad';
import { Countdown } from './Countdown';
import { Variables } from './Variables';
import { LiveSip } from './LiveSip';
import { flowTimeZone } from '../call/zonedTime';
import { nodeName } from './inspector/Inspector';

const DIGIT = /^[0-9*#]$/;

export const PhonePanel = memo(function PhonePanel() {
  const app = useApp();
  const env = useFlow((s) => s.doc.environment);
  const languages = useFlow((s) => s.doc.languages);
  const status = useCall((s) => s.status);
  const account = useCall((s) => s.account);
  const language = useCall((s) => s.language);
  const at = useCall((s) => s.at);
  const target = useCall((s) => s.target);
  const startParameter = useCall((s) => s.startParameter);
  const phones = useCall((s) => s.phones);
  const endedBy = useCall((s) => s.endedBy);
  const error = useCall((s) => s.error);
  const zoneKey = useFlow((s) => {
    const z = flowTimeZone(s.doc);
    return `${z.from}|${z.zone}`;
  });
  const [zoneFrom, zoneName] = zoneKey.split('|') as [string, string];
  const zone = { from: zoneFrom, zone: zoneName };
  const live = status === 'running' || status === 'paused' || status === 'starting';
  const set = app.call.getState().set;

  const onKeyDown = (e: KeyboardEvent) => {
    if (!live || e.ctrlKey || e.metaKey || e.altKey) return;
    if ((e.target as HTMLElement).closest('input, select, textarea')) return;
    if (DIGIT.test(e.key)) {
      e.preventDefault();
      void runAction('sendDigits', { digits: e.key });
    }
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions lint/a11y/noNoninteractiveTabindex: the phone takes digit keys while focused
    <div className="phone" tabIndex={0} onKeyDown={onKeyDown} data-testid="phone">
      <div className="form form--compact">
        <div className="field-row">
          <label className="field">
            <span className="field__label">Account</span>
            <select
              value={account}
              onChange={(e) => set({ account: e.target.value })}
              disabled={live}
              data-testid="call-account"
            >
              <option value="">{env.defaultAccount ? `default (${env.defaultAccount})` : 'default'}</option>
              {env.accounts.map((a) => (
                <option key={a.name} value={a.name}>
                  {a.name}
                  {a.realName ? ` — ${a.realName}` : ''}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field__label">Language</span>
            <select
              value={language}
              onChange={(e) => set({ language: e.target.value })}
              disabled={live}
              data-testid="call-language"
            >
              <option value="">the account's</option>
              {languages.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="field-row">
          <label className="field">
            <span className="field__label">Pretend the time is</span>
            <input
              type="datetime-local"
              value={at}
              onChange={(e) => set({ at: e.target.value })}
              disabled={live}
              aria-describedby="call-at-zone"
              data-testid="call-at"
            />
            <span id="call-at-zone" className="field__hint" data-testid="call-at-zone">
              {zone.from === 'flow'
                ? `in ${zone.zone}, the flow's time zone`
                : `in ${zone.zone}, this computer's (the flow sets no time zone)`}
              {at ? '' : '; empty: now'}
            </span>
          </label>
          <label className="field">
            <span className="field__label">Run as</span>
            <select value={target} onChange={(e) => set({ target: e.target.value as 'cgpl' | 'js' })} disabled={live}>
              <option value="cgpl">CG/PL program</option>
              <option value="js">JS module</option>
            </select>
          </label>
        </div>
        <div className="field-row">
          <label className="field" title="Vars().startParameter, as app{p1,p2}#account passes it">
            <span className="field__label">Start parameter</span>
            <input
              value={startParameter}
              placeholder="p1,p2"
              onChange={(e) => set({ startParameter: e.target.value })}
              disabled={live}
              data-testid="call-start-param"
            />
          </label>
          <label className="field" title="How dialled phones behave: answers, busy, noAnswer, unregistered, rejects">
            <span className="field__label">Phones</span>
            <input
              value={phones}
              placeholder="ivanov=busy, petrov=noAnswer"
              onChange={(e) => set({ phones: e.target.value })}
              disabled={live}
              data-testid="call-phones"
            />
          </label>
        </div>
      </div>
      <div className="call-buttons">
        <button
          type="button"
          className="btn btn--call"
          disabled={live}
          onClick={() => void runAction('startCall')}
          data-testid="call"
        >
          Call
        </button>
        <button
          type="button"
          className="btn btn--hangup"
          disabled={!live}
          onClick={() => void runAction('hangup')}
          data-testid="hangup"
        >
          Hang up
        </button>
      </div>
      <CallStatusLine status={status} endedBy={endedBy} error={error} />
      <Countdown />
      <DigitDisplay />
      <Keypad enabled={live} />
      <Debugger />
      <LiveSip />
    </div>
  );
});

function CallStatusLine({ status, endedBy, error }: { status: string; endedBy: string | null; error: string | null }) {
  const text =
    status === 'idle'
      ? 'No call. Press Call, then use the keypad (or type digits here).'
      : status === 'starting'
        ? 'Dialling…'
        : status === 'running'
          ? 'In call'
          : status === 'paused'
            ? 'Paused (Step or Continue to go on)'
            : `Call ended${endedBy ? ` (by ${endedBy})` : ''}`;
  return (
    <div className={`call-status call-status--${status}`} data-testid="call-status">
      <span className="dot" /> {text}
      {error && <div className="sev-error small">{error}</div>}
    </div>
  );
}

/** The keys the caller pressed in this call, as a phone's display shows them. */
function DigitDisplay() {
  const digits = useCall((s) =>
    s.events
      .filter((e) => e.kind === 'digit')
      .map((e) => (e as { digit: string }).digit)
      .join(''),
  );
  return (
    <output className="digit-display" aria-live="polite" aria-label="Keys pressed" data-testid="digit-display">
      {digits || <span className="muted">no keys pressed</span>}
    </output>
  );
}

function Debugger() {
  const status = useCall((s) => s.status);
  const paused = useCall((s) => s.paused);
  const pausedNode = useFlow((s) => (paused?.nodeId ? s.doc.nodes.find((n) => n.id === paused.nodeId) : undefined));
  const breakpoints = useCall((s) => s.breakpoints);
  const selected = useFlow((s) => s.selection.nodes);
  return (
    <div className="debugger">
      <div className="debugger__bar">
        <button
          type="button"
          className="btn btn--small"
          disabled={selected.length === 0}
          onClick={() => void runAction('toggleBreakpoint')}
          data-testid="breakpoint"
        >
          ● Breakpoint
        </button>
        <button
          type="button"
          className="btn btn--small"
          disabled={status !== 'running'}
          onClick={() => void runAction('pauseCall')}
          data-testid="pause"
        >
          Pause
        </button>
        <button
          type="button"
          className="btn btn--small"
          disabled={status !== 'paused'}
          onClick={() => void runAction('stepCall')}
          data-testid="step"
        >
          Step
        </button>
        <button
          type="button"
          className="btn btn--small"
          disabled={status !== 'paused'}
          onClick={() => void runAction('continueCall')}
          data-testid="continue"
        >
          Continue
        </button>
      </div>
      <div className="muted small">
        {breakpoints.length
          ? `Breakpoints: ${breakpoints.join(', ')}`
          : 'No breakpoints (select a node, then ● Breakpoint or F9).'}
      </div>
      {paused && (
        <div className="paused-at" role="status" data-testid="paused-at">
          Paused
          {pausedNode ? (
            <>
              {' '}
              in <strong>{nodeName(pausedNode)}</strong>
            </>
          ) : null}
          {paused.line !== null ? ` at CG/PL line ${paused.line} (highlighted in the CG/PL tab)` : ''}
        </div>
      )}
      {paused && <Variables paused={paused} />}
    </div>
  );
}
