// Business hours: schedule rows (days + from/to), time zone, holidays.
import { WEEKDAYS } from '../../../compiler/flow/model';
import type { NodeOf, TimeRange } from '../../../compiler/flow/schema';
import { FieldProblems, TextField } from './fields';
import { useNodeEditor } from './useNodeEditor';

const DAYS = WEEKDAYS;

export function BusinessHoursForm({ node }: { node: NodeOf<'businessHours'> }) {
  const { d, set, issues } = useNodeEditor(node);
  const setRow = (i: number, patch: Partial<TimeRange>) =>
    set(
      'schedule',
      d.schedule.map((r, j) => (j === i ? { ...r, ...patch } : r)),
    );
  const toggleDay = (i: number, day: TimeRange['days'][number]) => {
    const days = d.schedule[i]!.days;
    setRow(i, {
      days: days.includes(day) ? days.filter((x) => x !== day) : DAYS.filter((x) => x === day || days.includes(x)),
    });
  };
  return (
    <>
      <div className="field">
        <span className="field__label">Open</span>
        {d.schedule.map((r, i) => (
          <div key={i} className="schedule-row">
            <div className="day-toggles">
              {DAYS.map((day) => (
                <button
                  key={day}
                  type="button"
                  className={`day${r.days.includes(day) ? ' is-on' : ''}`}
                  onClick={() => toggleDay(i, day)}
                >
                  {day.slice(0, 2)}
                </button>
              ))}
            </div>
            <div className="time-range">
              <input
                type="time"
                value={r.from}
                onChange={(e) => setRow(i, { from: e.target.value })}
                aria-label="from"
              />
              <span>–</span>
              <input type="time" value={r.to} onChange={(e) => setRow(i, { to: e.target.value })} aria-label="to" />
              <button
                type="button"
                className="icon-btn"
                title="Remove row"
                onClick={() =>
                  set(
                    'schedule',
                    d.schedule.filter((_, j) => j !== i),
                  )
                }
              >
                ✕
              </button>
            </div>
          </div>
        ))}
        <button
          type="button"
          className="btn btn--small"
          onClick={() =>
            set('schedule', [...d.schedule, { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], from: '09:00', to: '18:00' }])
          }
        >
          + Add hours
        </button>
        <FieldProblems problems={issues('schedule')} />
      </div>
      <TextField
        label="Time zone"
        value={d.timeZone}
        placeholder="the server's"
        onChange={(v) => set('timeZone', v)}
        problems={issues('timeZone')}
        hint="CommuniGate time zone name, e.g. Europe/Moscow"
      />
      <TextField
        label="Holidays"
        value={d.holidays.join(', ')}
        placeholder="YYYY-MM-DD, …"
        onChange={(v) => set('holidays', v.split(/[\s,]+/).filter(Boolean))}
        problems={issues('holidays')}
        hint="Closed all day on these dates"
      />
    </>
  );
}
