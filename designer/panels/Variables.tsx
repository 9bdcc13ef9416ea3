// The debugger's variables view: where the call is paused and the running routine's variables.
import { memo, useMemo } from 'react';
import { variableRows } from '../call/formatValue';
import type { CallState } from '../call/callStore';

export const Variables = memo(function Variables({ paused }: { paused: NonNullable<CallState['paused']> }) {
  const rows = useMemo(() => variableRows(paused.variables), [paused]);
  return (
    <div className="variables" data-testid="variables">
      <div className="small">
        Paused at {paused.nodeId ?? '—'}
        {paused.line !== null ? `, line ${paused.line}` : ''}
      </div>
      {rows.length === 0 ? (
        <div className="muted small">no variables</div>
      ) : (
        <table>
          <tbody>
            {rows.map((r) => (
              <tr key={r.name} data-testid="variable">
                <td className="mono variables__name">{r.name}</td>
                <td className="mono variables__value" title={r.value}>
                  = {r.value}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
});
