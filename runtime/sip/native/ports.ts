// A port free for both UDP and TCP (tests and benchmarks pick their peers' ports with it).
import dgram from 'node:dgram';
import net from 'node:net';

export async function freePort(host = '127.0.0.1'): Promise<number> {
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
