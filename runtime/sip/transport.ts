// The sip@0.0.6 stack, started so that it can fail politely: the library binds its UDP socket and TCP
// server without error handlers (EADDRINUSE would kill the process) and ignores port 0, so we watch
// the sockets it creates during create() and wait until they listen.
import dgram from 'node:dgram';
import net from 'node:net';
import sip, { type SipHandler, type SipLogger, type SipStack } from 'sip';

export type Transport = 'udp' | 'tcp';

export interface StackOptions {
  host: string;
  port: number;
  transports: Transport[];
  logger: SipLogger;
}

/** Starts the stack; rejects with a clear message when a socket cannot listen. */
export async function startStack(options: StackOptions, onRequest: SipHandler): Promise<SipStack> {
  const udpSockets: dgram.Socket[] = [];
  const tcpServers: net.Server[] = [];
  const createSocket = dgram.createSocket;
  const createServer = net.createServer;
  // The library calls these synchronously inside create(); the originals come back right after.
  (dgram as { createSocket: unknown }).createSocket = (...args: Parameters<typeof dgram.createSocket>) => {
    const s = (createSocket as (...a: unknown[]) => dgram.Socket)(...args);
    udpSockets.push(s);
    return s;
  };
  (net as { createServer: unknown }).createServer = (...args: unknown[]) => {
    const s = (createServer as (...a: unknown[]) => net.Server)(...args);
    tcpServers.push(s);
    return s;
  };
  let stack: SipStack;
  try {
    stack = sip.create(
      {
        address: options.host,
        port: options.port,
        udp: options.transports.includes('udp'),
        tcp: options.transports.includes('tcp'),
        logger: options.logger,
      },
      onRequest,
    );
  } finally {
    (dgram as { createSocket: unknown }).createSocket = createSocket;
    (net as { createServer: unknown }).createServer = createServer;
  }
  const where = `${options.host}:${options.port}`;
  const listening = [
    ...udpSockets.map((s) => whenListening(s, `UDP ${where}`)),
    ...tcpServers.map((s) => whenListening(s, `TCP ${where}`)),
  ];
  try {
    await Promise.all(listening);
  } catch (err) {
    try {
      stack.destroy();
    } catch {
      // half-started; nothing more to close
    }
    throw err;
  }
  // After start-up a socket error (e.g. ICMP unreachable on some systems) is logged, never fatal.
  for (const s of [...udpSockets, ...tcpServers]) s.on('error', (e: Error) => options.logger.error?.(e));
  return stack;
}

function whenListening(s: dgram.Socket | net.Server, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      s.off('listening', onListening);
      reject(
        new Error(
          `cannot listen on ${what}: ${e.code === 'EADDRINUSE' ? 'the port is in use' : (e.code ?? e.message)}`,
        ),
      );
    };
    const onListening = () => {
      s.off('error', onError);
      resolve();
    };
    s.once('error', onError);
    s.once('listening', onListening);
  });
}

/** A port free for both UDP and TCP on host (the library cannot bind port 0 itself). */
export async function freePort(host: string): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
      s.once('error', reject);
      s.bind(0, host, () => {
        const p = s.address().port;
        s.close(() => resolve(p));
      });
    });
    const tcpFree = await new Promise<boolean>((resolve) => {
      const t = net.createServer();
      t.once('error', () => resolve(false));
      t.listen(port, host, () => t.close(() => resolve(true)));
    });
    if (tcpFree) return port;
  }
  throw new Error(`no free port on ${host}`);
}
