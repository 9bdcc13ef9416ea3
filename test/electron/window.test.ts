import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  contentSecurityPolicy,
  externalUrl,
  isAllowedNavigation,
  isAllowedPermission,
  originOf,
  windowOptions,
  withCsp,
} from '../../electron/windowOptions';

const APP = 'http://127.0.0.1:43121';

describe('window options', () => {
  it('isolate the page: context isolation and sandbox on, no Node anywhere, no webviews', () => {
    const w = windowOptions('/app/dist/electron/preload.cjs').webPreferences;
    expect(w.contextIsolation).toBe(true);
    expect(w.sandbox).toBe(true);
    expect(w.nodeIntegration).toBe(false);
    expect(w.nodeIntegrationInWorker).toBe(false);
    expect(w.nodeIntegrationInSubFrames).toBe(false);
    expect(w.webSecurity).toBe(true);
    expect(w.allowRunningInsecureContent).toBe(false);
    expect(w.webviewTag).toBe(false);
    expect(w.preload).toBe('/app/dist/electron/preload.cjs');
  });
});

describe('the Content-Security-Policy', () => {
  const csp = contentSecurityPolicy(APP);
  const directive = (name: string) =>
    csp
      .split('; ')
      .find((d) => d.startsWith(`${name} `))
      ?.split(' ')
      .slice(1);

  it("defaults to 'self', scripts from the app only (no inline, no eval)", () => {
    expect(directive('default-src')).toEqual(["'self'"]);
    expect(directive('script-src')).toEqual(["'self'"]);
    expect(csp).not.toContain('unsafe-eval');
    expect(directive('object-src')).toEqual(["'none'"]);
  });

  it('connects only to the app origin, its WebSocket included', () => {
    expect(directive('connect-src')).toEqual(["'self'", APP, 'ws://127.0.0.1:43121']);
  });

  it('replaces a CSP header from the server whatever its case, keeping the other headers', () => {
    const out = withCsp({ 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] }, csp);
    expect(out).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [csp] });
    expect(withCsp(undefined, csp)).toEqual({ 'Content-Security-Policy': [csp] });
  });
});

describe('isAllowedNavigation', () => {
  it('allows the app’s own pages', () => {
    expect(isAllowedNavigation(`${APP}/`, APP)).toBe(true);
    expect(isAllowedNavigation(`${APP}/?token=abc&file=callback/flow.json#x`, APP)).toBe(true);
  });

  it.each([
    ['another port', 'http://127.0.0.1:43122/'],
    ['another host name for the same machine', 'http://localhost:43121/'],
    ['https', 'https://127.0.0.1:43121/'],
    ['another site', 'https://example.com/'],
    ['a look-alike host', 'http://127.0.0.1:43121.evil.com/'],
    ['credentials in the URL', 'http://user:pw@127.0.0.1:43121/'],
    ['file:', 'file:///etc/passwd'],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['blob:', `blob:${APP}/1234`],
    ['garbage', 'not a url'],
    ['empty', ''],
  ])('refuses %s', (_what, url) => {
    expect(isAllowedNavigation(url, APP)).toBe(false);
  });

  it('allows exactly scheme http, host 127.0.0.1, the app’s port (property)', () => {
    const url = fc.record({
      scheme: fc.constantFrom('http', 'https', 'ws', 'file', 'ftp'),
      host: fc.constantFrom('127.0.0.1', 'localhost', '127.0.0.2', 'example.com', '[::1]'),
      port: fc.constantFrom(':43121', ':43122', '', ':80'),
      path: fc
        .array(fc.constantFrom('api', 'flow.json', '..', '%2e', '@evil.com', ''), { maxLength: 4 })
        .map((p) => `/${p.join('/')}`),
      query: fc.constantFrom('', 'token=abc', 'next=http://evil.com'),
    });
    fc.assert(
      fc.property(url, (u) => {
        const text = `${u.scheme}://${u.host}${u.port}${u.path}?${u.query}`;
        expect(isAllowedNavigation(text, APP), text).toBe(
          u.scheme === 'http' && u.host === '127.0.0.1' && u.port === ':43121',
        );
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string(), (s) => !isAllowedNavigation(s, APP)),
      { numRuns: 300 },
    );
  });

  it('originOf gives the server’s origin, and nothing for other schemes', () => {
    expect(originOf('http://127.0.0.1:43121')).toBe(APP);
    expect(originOf('file:///x')).toBeNull();
    expect(originOf('nonsense')).toBeNull();
  });
});

describe('external links and permissions', () => {
  it('opens http(s) and mailto in the OS, never file:, javascript: or data:', () => {
    expect(externalUrl('https://www.communigate.com/')).toBe('https://www.communigate.com/');
    expect(externalUrl('mailto:pbx@example.com')).toBe('mailto:pbx@example.com');
    for (const bad of ['file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,x', 'smb://host/share', 'x'])
      expect(externalUrl(bad)).toBeNull();
  });

  it('grants the clipboard to the app’s pages only, and nothing else', () => {
    expect(isAllowedPermission('clipboard-read', `${APP}/`, APP)).toBe(true);
    expect(isAllowedPermission('clipboard-read', 'https://example.com/', APP)).toBe(false);
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'hid'])
      expect(isAllowedPermission(p, `${APP}/`, APP)).toBe(false);
  });
});
