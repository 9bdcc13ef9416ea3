// Reading a program or flow file with a size limit, checked before the file is read: a 50 MB program
// would take gigabytes to parse, so it is refused with one line instead of running out of memory.
// Only regular files are read (a FIFO would block the reader for good).
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** A file larger than the limit, or not a regular file. */
export class FileRefused extends Error {
  constructor(
    message: string,
    readonly size?: number,
  ) {
    super(message);
    this.name = 'FileRefused';
  }
}

/** The limit in bytes: `IVR_STUDIO_<name>_MB` when set to a positive number, else `defaultMb`. */
export function limitFromEnv(name: string, defaultMb: number): number {
  const mb = Number(process.env[`IVR_STUDIO_${name}_MB`]);
  return Math.round((Number.isFinite(mb) && mb > 0 ? mb : defaultMb) * 1024 * 1024);
}

export function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * The file as UTF-8 text. Rejects with FileRefused when it is not a regular file or is larger than
 * `maxBytes` (`what`/`setting` make the message: "programs are limited to 16.0 MB (IVR_STUDIO_MAX_PROGRAM_MB)"),
 * and with the usual errno errors otherwise.
 */
export async function readTextLimited(path: string, maxBytes: number, what: string, setting: string): Promise<string> {
  // O_NONBLOCK: opening a FIFO must not wait for a writer.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new FileRefused('not a regular file');
    if (info.size > maxBytes)
      throw new FileRefused(
        `the file is ${megabytes(info.size)}; ${what} are limited to ${megabytes(maxBytes)} (${setting} changes it)`,
        info.size,
      );
    const buffer = Buffer.alloc(info.size);
    let read = 0;
    while (read < info.size) {
      const { bytesRead } = await handle.read(buffer, read, info.size - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    await handle.close();
  }
}
