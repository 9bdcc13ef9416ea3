// The window's security settings, its Content-Security-Policy and the navigation rules. Pure: main.ts
// applies them; tests read them.
import type { BrowserWindowOptions } from './electronApi';

/** @example windowOptions('/app/dist/electron/preload.cjs').webPreferences.sandbox === true */
export function windowOptions(preloadPath: string): BrowserWindowOptions {
  return {
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'IVR Studio',
    // Shown on ready-to-show: no white flash before the designer paints.
    show: false,
    backgroundColor: '#f7f7f8',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // A flow file dropped on the window must not replace the designer with the file's text.
      navigateOnDragDrop: false,
    },
  };
}

/**
 * The policy for every page of the app. Styles may be inline (React Flow and CodeMirror set style
 * attributes and <style> elements); scripts only from the app's own files; the API and the call
 * WebSocket only on the app's own server.
 */
export function contentSecurityPolicy(appOrigin: string): string {
  const ws = appOrigin.replace(/^http:/, 'ws:').replace(/^https:/, 'wss:');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${appOrigin} ${ws}`,
    "object-src 'none'",
    "frame-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Response headers with the CSP set (any CSP the server sent is replaced, whatever its case). */
export function withCsp(headers: Record<string, string[]> | undefined, csp: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() !== 'content-security-policy') out[k] = v;
  out['Content-Security-Policy'] = [csp];
  return out;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** The origin of the app's local server, e.g. "http://127.0.0.1:43121" (from its url). */
export function originOf(url: string): string | null {
  const u = parse(url);
  return u && (u.protocol === 'http:' || u.protocol === 'https:') ? u.origin : null;
}

/** May the window go to `url`? Only pages of the app's own server (same scheme, host and port). */
export function isAllowedNavigation(url: string, appOrigin: string): boolean {
  const u = parse(url);
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) return false;
  if (u.username || u.password) return false;
  return u.origin === appOrigin;
}

/** A link the OS browser (or mail program) may open instead: http(s) and mailto only, never file: or javascript:. */
export function externalUrl(url: string): string | null {
  const u = parse(url);
  if (!u) return null;
  if (u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'mailto:') return u.href;
  return null;
}

/** What the designer uses: the clipboard (copy/paste of nodes); nothing else, and only for the app's pages. */
const PERMISSIONS = new Set(['clipboard-read', 'clipboard-sanitized-write']);

export function isAllowedPermission(permission: string, requestingUrl: string, appOrigin: string): boolean {
  return PERMISSIONS.has(permission) && isAllowedNavigation(requestingUrl, appOrigin);
}
