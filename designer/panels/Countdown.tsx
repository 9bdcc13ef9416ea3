// Seconds left before the program's ReadInput gives up.
import { useEffect, useState } from 'react';
import { useCall } from '../hooks/useApp';

export function Countdown() {
  const until = useCall((s) => s.waitingUntil);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null) return;
    const t = window.setInterval(() => setNow(Date.now()), 200);
    return () => window.clearInterval(t);
  }, [until]);
  if (until === null) return null;
  const left = Math.max(0, Math.ceil((until - now) / 1000));
  return (
    <div className="countdown" data-testid="countdown">
      waiting for keys… {left} s
    </div>
  );
}
