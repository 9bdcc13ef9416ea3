// One-line reasons for sockets that cannot listen (what `ivr-studio run` prints before exit 1).

export function listenError(what: 'UDP' | 'TCP', address: string, port: number, e: NodeJS.ErrnoException): Error {
  const where = `${address.includes(':') ? `[${address}]` : address}:${port}`;
  const why =
    e.code === 'EADDRINUSE'
      ? 'the port is in use'
      : e.code === 'EADDRNOTAVAIL'
        ? 'no such local address'
        : e.code === 'EACCES'
          ? 'permission denied (ports below 1024 need privileges)'
          : (e.code ?? e.message);
  const err = new Error(`cannot listen on ${what} ${where}: ${why}`) as NodeJS.ErrnoException;
  if (e.code) err.code = e.code;
  return err;
}
