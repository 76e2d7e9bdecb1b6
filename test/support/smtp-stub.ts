import { AddressInfo, createServer, Server, Socket } from 'node:net';

/**
 * How the stub answers: a reply line to the login (`AUTH`, offered only when this is set), to the sender (`MAIL FROM`),
 * to the recipient (`RCPT TO`) and to the message once sent (after `DATA`).
 */
export interface SmtpBehaviour {
  auth?: string;
  mailFrom?: string;
  rcpt?: string;
  afterData?: string;
}

export interface SmtpStub {
  url: string;
  /** The messages it accepted, raw. */
  accepted: string[];
  /** The envelope's sender of each message begun (`MAIL FROM:<…>`), in order. */
  envelopeSenders: string[];
  behave(behaviour: SmtpBehaviour): void;
  close(): Promise<void>;
}

/**
 * A mail server on a local port speaking just enough SMTP for nodemailer, whose replies a test chooses: a refusal for
 * good (5xx), a passing one (4xx). A real exchange over a socket, so the service's transport runs as in production.
 */
export async function startSmtpStub(): Promise<SmtpStub> {
  let behaviour: SmtpBehaviour = {};
  const accepted: string[] = [];
  const envelopeSenders: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = '';
    let data: string | null = null;
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 stub ESMTP');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (data !== null) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          data += buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          const answer = behaviour.afterData ?? '250 2.0.0 queued';
          if (answer.startsWith('2')) accepted.push(data);
          data = null;
          reply(answer);
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') reply(behaviour.auth ? '250-stub\r\n250 AUTH PLAIN' : '250 stub');
        else if (verb === 'AUTH') reply(behaviour.auth ?? '503 5.5.1 no login offered');
        else if (verb === 'MAIL') {
          envelopeSenders.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          reply(behaviour.mailFrom ?? '250 2.1.0 OK');
        } else if (verb === 'RCPT') reply(behaviour.rcpt ?? '250 2.1.5 OK');
        else if (verb === 'DATA') {
          data = '';
          reply('354 go ahead');
        } else if (verb === 'QUIT') {
          reply('221 bye');
          socket.end();
        } else reply('250 OK');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    accepted,
    envelopeSenders,
    behave: (next) => (behaviour = next),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
