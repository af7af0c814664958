import { Writable } from 'node:stream';
import { fakeSecret, fakeSlackToken } from '@keywatch/testkit';
import { describe, expect, it } from 'vitest';
import { createLogger, maskSecrets } from '../src/index.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, log: createLogger({ service: 'test', destination }) };
}

const secret = fakeSecret('4f9a8b7c6d5e');
const slackToken = fakeSlackToken();

describe('log redaction', () => {
  it('redacts the Authorization header of a logged request', () => {
    const { lines, log } = capture();
    log.info({ req: { headers: { authorization: `Bearer ${secret}` } } }, 'request');
    expect(lines.join('')).not.toContain(secret);
    expect(JSON.parse(lines[0]!).req.headers.authorization).toBe('[redacted]');
  });

  it('redacts secret-named fields at the top level and one level down', () => {
    const { lines, log } = capture();
    log.info({ key: secret, body: { key: secret, token: slackToken } }, 'created');
    expect(lines.join('')).not.toContain(secret);
    expect(lines.join('')).not.toContain(slackToken);
  });

  it('masks secrets inside messages and errors', () => {
    const { lines, log } = capture();
    log.warn(`got ${secret}`);
    log.error({ err: new Error(`bad header Bearer ${secret}`) }, 'failed');
    const out = lines.join('');
    expect(out).not.toContain(secret);
    expect(out).toContain('sk_live_[redacted]');
  });

  it.each([
    [`key ${secret} end`, 'key sk_live_[redacted] end'],
    ['Authorization: Bearer abc.def', 'Authorization: Bearer [redacted]'],
    ['token xoxb-1-2-3', 'token [redacted]'],
    ['signing with whsec_Ab12Cd34Ef56', 'signing with whsec_[redacted]'],
    ['nothing secret here', 'nothing secret here'],
    ['sk_live_ alone', 'sk_live_ alone'],
  ])('maskSecrets(%s)', (input, expected) => {
    expect(maskSecrets(input)).toBe(expected);
  });
});
