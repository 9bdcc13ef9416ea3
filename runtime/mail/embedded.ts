// The embedded outbox server: an SMTP server on 127.0.0.1 that files every message it receives
// into the outbox. Without a relay, SendEMail still really crosses SMTP, and nothing is configured.
// A message of our own is already filed (queued): the server checks it is there and accepts it.
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { newOutboxId } from './entry';
import type { Outbox } from './outbox';

export interface EmbeddedServer {
  host: string;
  port: number;
  close(): Promise<void>;
}

// Messages of our own carry Message-ID <outbox-id@MESSAGE_ID_DOMAIN>.
export const MESSAGE_ID_DOMAIN = 'ivr-studio.outbox';
const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

export async function startEmbeddedServer(outbox: Outbox): Promise<EmbeddedServer> {
  const server = new SMTPServer({
    name: 'ivr-studio.localhost',
    banner: 'IVR Studio outbox',
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    size: MAX_MESSAGE_BYTES,
    logger: false,
    socketTimeout: 30_000,
    closeTimeout: 1_000,
    onData(stream, session, callback) {
      receive(stream, session)
        .then((id) => callback(null, `Stored in outbox as ${id}`))
        .catch((err: unknown) => {
          const e = new Error(`Outbox write failed: ${err instanceof Error ? err.message : String(err)}`) as Error & {
            responseCode: number;
          };
          e.responseCode = 451;
          callback(e);
        });
    },
  });

  async function receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    if (stream.sizeExceeded) throw Object.assign(new Error('message too large'), { responseCode: 552 });
    const eml = Buffer.concat(chunks);
    const ownId = ownMessageId(eml);
    if (ownId !== undefined && (await outbox.has(ownId))) return ownId;
    // A message from some other local client: describe it from the envelope and its headers.
    const id = newOutboxId();
    const parsed = await simpleParser(eml, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true }).catch(
      () => undefined,
    );
    const mailFrom = session.envelope.mailFrom;
    await outbox.add(
      {
        id,
        createdAt: new Date().toISOString(),
        from: mailFrom ? mailFrom.address : '',
        to: session.envelope.rcptTo.map((r) => r.address).join(', '),
        subject: parsed?.subject ?? '',
        status: 'sent',
      },
      eml,
    );
    return id;
  }

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  // A listening-socket error after start must not crash the runtime; the next send reports it.
  server.on('error', () => undefined);
  const address = server.server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port: address.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The outbox id from a Message-ID we composed, read from the header section only. */
function ownMessageId(eml: Buffer): string | undefined {
  const end = eml.indexOf('\r\n\r\n');
  const head = eml.subarray(0, end < 0 ? Math.min(eml.length, 64 * 1024) : end).toString('latin1');
  const escaped = MESSAGE_ID_DOMAIN.replace(/\./g, '\\.');
  const m = new RegExp(`^Message-ID:[ \\t]*<([A-Za-z0-9-]+)@${escaped}>`, 'im').exec(head);
  return m?.[1];
}
