// The samples shipped with IVR Studio (the default workspace of `ivr-studio serve`).
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const SAMPLES_DIR = resolve(fileURLToPath(new URL('../../samples', import.meta.url)));

/** Sample folders, the one the designer opens first first. */
export const BUNDLED_SAMPLES = ['callback', 'autosecretary'];
