// Layout only: toolbar, left tabs, canvas with the bottom drawer, right tabs, dialogs.
import { ReactFlowProvider } from '@xyflow/react';
import { FlowCanvas } from './canvas/FlowCanvas';
import { Toolbar } from './chrome/Toolbar';
import { RecoveryBanner } from './chrome/RecoveryBanner';
import { ShortcutsDialog } from './chrome/ShortcutsDialog';
import { ModalDialog } from './chrome/ModalDialog';
import { Toasts } from './chrome/Toasts';
import { Tabs } from './chrome/Tabs';
import { useApp, useProblems, useUi } from './hooks/useApp';
import { useKeyboard } from './hooks/useKeyboard';
import { useAutosave } from './hooks/useAutosave';
import { Palette } from './panels/Palette';
import { FilesPanel } from './panels/FilesPanel';
import { PromptsPanel } from './panels/PromptsPanel';
import { SearchPanel } from './panels/SearchPanel';
import { Inspector } from './panels/inspector/Inspector';
import { Problems } from './panels/Problems';
import { CodePanel } from './panels/CodePanel';
import { PhonePanel } from './panels/PhonePanel';
import { TracePanel } from './panels/TracePanel';
import { OutboxPanel } from './panels/OutboxPanel';
import { DeployDialog } from './panels/deploy/DeployDialog';
import type { BottomTab, LeftTab, RightTab } from './store/uiStore';

const LEFT = [
  { id: 'palette', label: 'Nodes' },
  { id: 'files', label: 'Files' },
  { id: 'prompts', label: 'Prompts' },
  { id: 'search', label: 'Search' },
] as const satisfies readonly { id: LeftTab; label: string }[];
const RIGHT = [
  { id: 'inspector', label: 'Inspector' },
  { id: 'phone', label: 'Phone' },
  { id: 'outbox', label: 'Outbox' },
] as const satisfies readonly { id: RightTab; label: string }[];

export function App() {
  useKeyboard();
  return (
    <ReactFlowProvider>
      <Autosave />
      <div className="app">
        <Toolbar />
        <RecoveryBanner />
        <div className="workspace">
          <LeftSidebar />
          <main className="centre">
            <FlowCanvas />
            <BottomDrawer />
          </main>
          <RightSidebar />
        </div>
        <ShortcutsDialog />
        <DeployDialog />
        <ModalDialog />
        <Toasts />
      </div>
    </ReactFlowProvider>
  );
}

/** Its own component: it follows every document change, which must not re-render the whole page. */
function Autosave() {
  useAutosave();
  return null;
}

function LeftSidebar() {
  const app = useApp();
  const tab = useUi((s) => s.leftTab);
  return (
    <aside className="sidebar sidebar--left">
      <Tabs tabs={LEFT} value={tab} onChange={(t) => app.ui.getState().set({ leftTab: t })} />
      <div className="sidebar__body">
        {tab === 'palette' && <Palette />}
        {tab === 'files' && <FilesPanel />}
        {tab === 'prompts' && <PromptsPanel />}
        {tab === 'search' && <SearchPanel />}
      </div>
    </aside>
  );
}

function RightSidebar() {
  const app = useApp();
  const tab = useUi((s) => s.rightTab);
  return (
    <aside className="sidebar sidebar--right">
      <Tabs tabs={RIGHT} value={tab} onChange={(t) => app.ui.getState().set({ rightTab: t })} />
      <div className="sidebar__body">
        {tab === 'inspector' && <Inspector />}
        {tab === 'phone' && (
          <>
            <PhonePanel />
            <h3 className="panel-title">Trace</h3>
            <TracePanel />
          </>
        )}
        {tab === 'outbox' && <OutboxPanel />}
      </div>
    </aside>
  );
}

function BottomDrawer() {
  const app = useApp();
  const open = useUi((s) => s.bottomOpen);
  const tab = useUi((s) => s.bottomTab);
  const counts = useProblems((s) => {
    if (s.pending) return 'pending';
    const errors = s.problems.filter((x) => x.severity === 'error').length;
    return `${errors}/${s.problems.length - errors}`;
  });
  const [errors, warnings] = counts === 'pending' ? [0, 0] : counts.split('/').map(Number);
  const tabs: { id: BottomTab; label: string }[] = [
    {
      id: 'problems',
      label:
        counts === 'pending'
          ? 'Problems: checking…'
          : errors || warnings
            ? `Problems: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`
            : 'Problems ✓',
    },
    { id: 'cgpl', label: 'CG/PL' },
    { id: 'js', label: 'JavaScript' },
  ];
  const set = app.ui.getState().set;
  return (
    <section className={`drawer${open ? '' : ' is-collapsed'}`}>
      <div className="drawer__bar">
        <Tabs tabs={tabs} value={tab} onChange={(t) => set({ bottomTab: t, bottomOpen: true })} />
        <button
          type="button"
          className="icon-btn"
          onClick={() => set({ bottomOpen: !open })}
          title={open ? 'Hide' : 'Show'}
        >
          {open ? '▾' : '▴'}
        </button>
      </div>
      {open && (
        <div className="drawer__body">
          {tab === 'problems' && <Problems />}
          {tab === 'cgpl' && <CodePanel target="cgpl" />}
          {tab === 'js' && <CodePanel target="js" />}
        </div>
      )}
    </section>
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
