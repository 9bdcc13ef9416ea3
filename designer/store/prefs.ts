// The designer's preferences: panel sizes, which panels are collapsed, the theme, the minimap. Kept
// by the server (GET/PUT /api/prefs, in the workspace: the page's own storage is per port, and the
// port is new every start) with a copy in localStorage so the first frame already has them.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ApiClient } from '../api/client';

export type Theme = 'system' | 'light' | 'dark';

export interface Prefs {
  theme: Theme;
  /** Panel group id → panel id → percent (react-resizable-panels layouts). */
  layouts: Record<string, Record<string, number>>;
  /** Panel ids the user collapsed. */
  collapsed: string[];
  /** null: shown when the canvas is wide enough. */
  minimap: boolean | null;
}

export const DEFAULT_PREFS: Prefs = { theme: 'system', layouts: {}, collapsed: [], minimap: null };
const CACHE_KEY = 'ivr-studio.prefs';
const SAVE_DELAY_MS = 400;

export type PrefsStore = StoreApi<Prefs & { set(patch: Partial<Prefs>): void }>;

/** Whatever arrives (a damaged cache, an old server): only the fields that have the right shape. */
export function checkPrefs(value: unknown): Prefs {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const theme = v.theme === 'light' || v.theme === 'dark' || v.theme === 'system' ? v.theme : 'system';
  const layouts: Prefs['layouts'] = {};
  if (typeof v.layouts === 'object' && v.layouts !== null)
    for (const [group, layout] of Object.entries(v.layouts as Record<string, unknown>)) {
      if (typeof layout !== 'object' || layout === null) continue;
      const sizes = Object.entries(layout as Record<string, unknown>).filter(
        (e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]) && e[1] >= 0 && e[1] <= 100,
      );
      if (sizes.length > 0) layouts[group] = Object.fromEntries(sizes);
    }
  const collapsed = Array.isArray(v.collapsed) ? v.collapsed.filter((c): c is string => typeof c === 'string') : [];
  const minimap = typeof v.minimap === 'boolean' ? v.minimap : null;
  return { theme, layouts, collapsed, minimap };
}

function cached(): Prefs {
  try {
    return checkPrefs(JSON.parse(localStorage.getItem(CACHE_KEY) ?? '{}'));
  } catch {
    return DEFAULT_PREFS;
  }
}

/** The store, filled from the cache at once and from the server when it answers; changes are saved to both. */
export function createPrefsStore(
  api: Pick<ApiClient, 'prefs' | 'savePrefs'> | null,
): PrefsStore & { loaded: Promise<void> } {
  const store = createStore<Prefs & { set(patch: Partial<Prefs>): void }>()((set) => ({
    ...(typeof localStorage === 'undefined' ? DEFAULT_PREFS : cached()),
    set: (patch) => set(patch),
  }));
  let timer: ReturnType<typeof setTimeout> | null = null;
  let ready = false;
  store.subscribe((s) => {
    if (!ready) return;
    const prefs: Prefs = { theme: s.theme, layouts: s.layouts, collapsed: s.collapsed, minimap: s.minimap };
    try {
      localStorage.setItem(CACHE_KEY, JSON.stringify(prefs));
    } catch {
      /* storage off: the server keeps them */
    }
    if (timer) clearTimeout(timer);
    timer = setTimeout(
      () => void api?.savePrefs(prefs as unknown as Record<string, unknown>).catch(() => {}),
      SAVE_DELAY_MS,
    );
  });
  const loaded = (
    api
      ? api.prefs().then(
          (p) => store.setState(checkPrefs(p)),
          () => {},
        )
      : Promise.resolve()
  ).then(() => {
    ready = true;
  });
  return Object.assign(store, { loaded });
}

/** 'light' or 'dark': the theme chosen, or the system's when it is 'system'. */
export function effectiveTheme(theme: Theme): 'light' | 'dark' {
  if (theme !== 'system') return theme;
  return typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}
