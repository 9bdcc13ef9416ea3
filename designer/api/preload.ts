// Requests index.html starts before the app's script has loaded (the file named by ?file= and the
// file list), so opening a big flow does not wait for the script first. The API client takes each
// one once, in place of its own fetch of the same request.

/** What index.html's inline script leaves on window: responses by "METHOD /api/…" key. */
export type Preloaded = Record<string, Promise<Response> | undefined>;

declare global {
  interface Window {
    __ivrPreload?: Preloaded;
  }
}

/** The preloaded response for a request, once (a second read of the same file fetches it again). */
export function takePreloaded(method: string, path: string): Promise<Response> | null {
  if (typeof window === 'undefined') return null;
  const table = window.__ivrPreload;
  const key = `${method} ${path}`;
  const res = table?.[key];
  if (!table || !res) return null;
  delete table[key];
  return res;
}
