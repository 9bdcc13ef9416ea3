// Layout only: toolbar, left tabs, canvas with the bottom drawer, right tabs, dialogs.
import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useState, type ReactNode } from 'react';
import { Group, Panel, Separator, usePanelRef, type Layout } from 'react-resizable-panels';
import { useStore } from 'zustand';
import { FlowCanvas } from './canvas/FlowCanvas';
import { Toolbar } from './chrome/Toolbar';
import { RecoveryBanner } from './chrome/RecoveryBanner';
import { ShortcutsDialog } from './chrome/ShortcutsDialog';
import { ModalDialog } from './chrome/ModalDialog';
import { Toasts } from './chrome/Toasts';
import { Tabs } from './chrome/Tabs';
import { useApp, useCall, useProblems, useUi } from './hooks/useApp';
import { effectiveTheme } from './store/prefs';
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
  useTheme();
  return (
    <ReactFlowProvider>
      <Autosave />
      <div className="app">
        <Toolbar />
        <RecoveryBanner />
        <Workspace />
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

/** The theme chosen (or the system's) on <html data-theme>, which styles.css's colours follow. */
function useTheme(): void {
  const app = useApp();
  const theme = useStore(app.prefs!, (s) => s.theme);
  useEffect(() => {
    const apply = () => {
      document.documentElement.dataset.theme = effectiveTheme(theme);
    };
    apply();
    const media = matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [theme]);
}

/** Sizes as the user left them (server prefs); a change is saved once the pointer is released. */
function useLayout(id: string): [Layout | undefined, (layout: Layout) => void] {
  const app = useApp();
  const [initial] = useState(() => app.prefs!.getState().layouts[id]);
  const save = (layout: Layout) => {
    const prefs = app.prefs!.getState();
    prefs.set({ layouts: { ...prefs.layouts, [id]: layout } });
  };
  return [initial, save];
}

/** Side panels and the drawer: resizable, collapsible (by button, or dragged small), sizes remembered. */
function Workspace() {
  const [main, saveMain] = useLayout('main');
  const [centre, saveCentre] = useLayout('centre-group');
  return (
    <Group
      orientation="horizontal"
      id="main"
      data-testid="workspace"
      className="workspace"
      defaultLayout={main}
      onLayoutChanged={saveMain}
    >
      <SidePanel id="left" label="Nodes, files, prompts and search" defaultSize="18" minSize={190}>
        {(collapse) => <LeftSidebar collapse={collapse} />}
      </SidePanel>
      <Separator className="resizer resizer--v" aria-label="Resize the left panel" />
      <Panel id="centre" data-testid="centre-panel" minSize="30">
        <Group
          orientation="vertical"
          id="centre-group"
          data-testid="centre-group"
          defaultLayout={centre}
          onLayoutChanged={saveCentre}
        >
          <Panel id="canvas-panel" data-testid="canvas-panel" minSize="25">
            <main className="centre">
              <FlowCanvas />
            </main>
          </Panel>
          <Separator className="resizer resizer--h" aria-label="Resize the problems and code panel" />
          <DrawerPanel />
        </Group>
      </Panel>
      <Separator className="resizer resizer--v" aria-label="Resize the right panel" />
      <SidePanel id="right" label="Inspector, phone and outbox" defaultSize="24" minSize={260}>
        {(collapse) => <RightSidebar collapse={collapse} />}
      </SidePanel>
    </Group>
  );
}

const COLLAPSED_PX = 30;

function SidePanel({
  id,
  label,
  defaultSize,
  minSize,
  children,
}: {
  id: 'left' | 'right';
  label: string;
  defaultSize: string;
  minSize: number;
  children: (collapse: () => void) => ReactNode;
}) {
  const app = useApp();
  const ref = usePanelRef();
  const [collapsed, setCollapsed] = useState(() => app.prefs!.getState().collapsed.includes(id));
  const remember = (now: boolean) => {
    setCollapsed(now);
    const prefs = app.prefs!.getState();
    const others = prefs.collapsed.filter((c) => c !== id);
    if (now !== prefs.collapsed.includes(id)) prefs.set({ collapsed: now ? [...others, id] : others });
  };
  return (
    <Panel
      id={id}
      data-testid={`panel-${id}`}
      panelRef={ref}
      defaultSize={collapsed ? `${COLLAPSED_PX}px` : defaultSize}
      minSize={minSize}
      collapsible
      collapsedSize={COLLAPSED_PX}
      onResize={(size) => {
        const now = size.inPixels <= COLLAPSED_PX + 1;
        if (now !== collapsed) remember(now);
      }}
      className={`sidebar sidebar--${id}${collapsed ? ' is-collapsed' : ''}`}
    >
      {collapsed ? (
        <button
          type="button"
          className="sidebar__expand"
          onClick={() => ref.current?.expand()}
          aria-label={`Show the ${id} panel (${label})`}
          title={`Show ${label}`}
          data-testid={`expand-${id}`}
        >
          {id === 'left' ? '»' : '«'}
        </button>
      ) : (
        children(() => ref.current?.collapse())
      )}
    </Panel>
  );
}

function CollapseButton({ side, onClick }: { side: 'left' | 'right'; onClick: () => void }) {
  return (
    <button
      type="button"
      className="icon-btn sidebar__collapse"
      onClick={onClick}
      aria-label={`Hide the ${side} panel`}
      title="Hide this panel"
      data-testid={`collapse-${side}`}
    >
      {side === 'left' ? '«' : '»'}
    </button>
  );
}

function LeftSidebar({ collapse }: { collapse: () => void }) {
  const app = useApp();
  const tab = useUi((s) => s.leftTab);
  return (
    <aside className="sidebar__inner" aria-label="Nodes, files, prompts and search">
      <div className="sidebar__bar">
        <Tabs tabs={LEFT} value={tab} onChange={(t) => app.ui.getState().set({ leftTab: t })} />
        <CollapseButton side="left" onClick={collapse} />
      </div>
      <div className="sidebar__body">
        {tab === 'palette' && <Palette />}
        {tab === 'files' && <FilesPanel />}
        {tab === 'prompts' && <PromptsPanel />}
        {tab === 'search' && <SearchPanel />}
      </div>
    </aside>
  );
}

function RightSidebar({ collapse }: { collapse: () => void }) {
  const app = useApp();
  const tab = useUi((s) => s.rightTab);
  const outbox = useCall((s) => s.outbox.length);
  const tabs = RIGHT.map((t) => (t.id === 'outbox' && outbox > 0 ? { ...t, label: `Outbox (${outbox})` } : t));
  return (
    <aside className="sidebar__inner" aria-label="Inspector, phone and outbox">
      <div className="sidebar__bar">
        <CollapseButton side="right" onClick={collapse} />
        <Tabs tabs={tabs} value={tab} onChange={(t) => app.ui.getState().set({ rightTab: t })} />
      </div>
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

/** The bottom drawer as a panel: ui.bottomOpen (the toolbar's Code button, Ctrl+J) collapses it to its tab bar. */
function DrawerPanel() {
  const app = useApp();
  const ref = usePanelRef();
  const open = useUi((s) => s.bottomOpen);
  useEffect(() => {
    const panel = ref.current;
    if (!panel) return;
    if (open && panel.isCollapsed()) panel.expand();
    else if (!open && !panel.isCollapsed()) panel.collapse();
  }, [open, ref]);
  return (
    <Panel
      id="drawer"
      data-testid="panel-drawer"
      panelRef={ref}
      defaultSize={open ? '200px' : `${DRAWER_BAR_PX}px`}
      minSize={120}
      collapsible
      collapsedSize={DRAWER_BAR_PX}
      onResize={(size) => {
        const collapsed = size.inPixels <= DRAWER_BAR_PX + 1;
        if (collapsed === app.ui.getState().bottomOpen) app.ui.getState().set({ bottomOpen: !collapsed });
      }}
    >
      <BottomDrawer />
    </Panel>
  );
}

const DRAWER_BAR_PX = 34;

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
          aria-label={open ? 'Hide the problems and code panel' : 'Show the problems and code panel'}
          aria-expanded={open}
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
