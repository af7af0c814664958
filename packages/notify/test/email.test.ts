import { createServer } from 'node:net';
import { SmtpSink } from '@keywatch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailBodies, emailSender, type Notification, publicDeliveryError } from '../src/index.ts';

const n: Notification = {
  title: 'High usage: evil\r\nBcc: victim@example.org',
  severity: 'warning',
  summary: 'High usage: <b>evil</b> & co',
  fields: [{ label: 'Key', value: '<script>alert(1)</script>' }],
};

/** A port nothing listens on: taken, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('email', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await new SmtpSink().start();
  });
  afterAll(async () => sink?.stop());
  const sender = (smtpUrl = sink.url) =>
    emailSender({ smtpUrl, from: 'keywatch@example.com', to: 'sec@example.com' });

  it('keeps CR/LF out of the subject and HTML escaped', async () => {
    const bodies = emailBodies(n);
    expect(bodies.subject).toBe('[keywatch warning] High usage: evil Bcc: victim@example.org');
    expect(bodies.html).toContain('&lt;b&gt;evil&lt;/b&gt; &amp; co');
    expect(bodies.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(bodies.html).not.toContain('<script>');

    await sender().send(n);
    const [mail] = sink.mails.slice(-1);
    expect(mail!.to).toEqual(['sec@example.com']);
    expect(mail!.raw).not.toMatch(/^Bcc:/im);
  });

  it('tells a tenant a refused recipient without the server words', async () => {
    sink.refuse.add('gone@example.com');
    const failure = await sender()
      .send(n, 'gone@example.com')
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect((failure as Error).message).toContain('mailbox unavailable');
    expect(publicDeliveryError('email', failure)).toBe('smtp: recipient refused (550)');
  });

  it('tells a tenant the mail server could not be reached, not where it is', async () => {
    const port = await closedPort();
    const failure = await sender(`smtp://127.0.0.1:${port}`)
      .send(n)
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect((failure as Error).message).toContain(String(port));
    expect(publicDeliveryError('email', failure)).toBe('smtp: could not connect to the mail server');
  });
});
