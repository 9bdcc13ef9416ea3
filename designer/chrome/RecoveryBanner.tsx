// "Recover unsaved changes?" when an autosave is newer than the file.
import { runAction } from '../actions';
import { useUi } from '../hooks/useApp';

export function RecoveryBanner() {
  const record = useUi((s) => s.recovery);
  if (!record) return null;
  return (
    <div className="banner" role="alert" data-testid="recovery-banner">
      <span>
        Recover unsaved changes? There is an autosave from {new Date(record.savedAt).toLocaleString()} that is newer
        than the file.
      </span>
      <button
        type="button"
        className="btn btn--small btn--primary"
        onClick={() => void runAction('recover')}
        data-testid="recover"
      >
        Recover
      </button>
      <button
        type="button"
        className="btn btn--small"
        onClick={() => void runAction('discardRecovery')}
        data-testid="discard"
      >
        Discard
      </button>
    </div>
  );
}
