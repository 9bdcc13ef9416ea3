// The external programs the tests drive as real peers, found the way a shell finds them (`command -v`:
// the first executable of that name on PATH) or where an environment variable says. Each one knows
// how to say it is missing, so a skipped suite names the tool it lacked and how to get it.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface Tool {
  name: string;
  /** Where it is, or null when it was not found. */
  path: string | null;
  /** '' when found, else e.g. " (skipped: sipp not found on PATH or in $SIPP_BIN; apt-get install sip-tester)". */
  skipped: string;
}

function executable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `command -v name`: the first executable called `name` in a PATH folder, or null. */
export function onPath(name: string, path = process.env.PATH ?? ''): string | null {
  const names = process.platform === 'win32' ? [`${name}.exe`, name] : [name];
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    for (const n of names) {
      const candidate = join(dir, n);
      if (executable(candidate)) return candidate;
    }
  }
  return null;
}

/**
 * `envVar` (when set) names the binary and wins, even when it is wrong (then the tool is missing and
 * the note says so); otherwise PATH. `install` says how to get it.
 */
export function findTool(name: string, envVar: string | null, install: string, fallback?: string): Tool {
  const given = envVar ? process.env[envVar] : undefined;
  if (given) {
    const found = executable(given) ? given : null;
    return { name, path: found, skipped: found ? '' : ` (skipped: $${envVar}=${given} is not an executable file)` };
  }
  const found = onPath(name) ?? (fallback !== undefined && executable(fallback) ? fallback : null);
  const where = envVar ? `on PATH or in $${envVar}` : 'on PATH';
  return { name, path: found, skipped: found ? '' : ` (skipped: ${name} not found ${where}; ${install})` };
}

export const SIPP = findTool('sipp', 'SIPP_BIN', 'apt-get install sip-tester');
export const BARESIP = findTool('baresip', 'BARESIP_BIN', 'apt-get install baresip-core');
/** The product finds espeak-ng on PATH (runtime/server/espeakNg.ts); the tests look where it looks. */
export const ESPEAK_NG = findTool('espeak-ng', null, 'apt-get install espeak-ng');
export const SOX = findTool('sox', 'SOX_BIN', 'apt-get install sox');
export const TCPDUMP = findTool('tcpdump', 'TCPDUMP_BIN', 'apt-get install tcpdump', '/usr/sbin/tcpdump');
// drachtio-server (no npm or Debian package): $DRACHTIO_BIN or PATH; tests that need it skip with the reason.
export const DRACHTIO = findTool('drachtio', 'DRACHTIO_BIN', 'build drachtio-server and set DRACHTIO_BIN');
/** Debian's Chromium for playwright-core: $CHROMIUM_BIN, else /usr/bin/chromium (the default), else PATH. */
export const CHROMIUM = ((): Tool => {
  if (process.env.CHROMIUM_BIN) return findTool('chromium', 'CHROMIUM_BIN', 'apt-get install chromium');
  if (executable('/usr/bin/chromium')) return { name: 'chromium', path: '/usr/bin/chromium', skipped: '' };
  return findTool('chromium', 'CHROMIUM_BIN', 'apt-get install chromium');
})();
