import { FakeSlack } from '@keywatch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeSlack, type Notification, publicDeliveryError, slackSender } from '../src/index.ts';

describe('escapeSlack', () => {
  it.each([
    ['<!channel> rotate now', '&lt;!channel&gt; rotate now'],
    ['<!here>', '&lt;!here&gt;'],
    ['<@U0123ABCD>', '&lt;@U0123ABCD&gt;'],
    ['<#C0123ABCD>', '&lt;#C0123ABCD&gt;'],
    ['<https://evil.example|console>', '&lt;https://evil.example|console&gt;'],
    ['a & b', 'a &amp; b'],
    ['&lt; already escaped', '&amp;lt; already escaped'],
    ['*bold* _it_ plain', '*bold* _it_ plain'],
  ])('%s', (text, escaped) => {
    expect(escapeSlack(text)).toBe(escaped);
  });
});

describe('slackSender against a Slack Web API', () => {
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await new FakeSlack().start();
  });
  afterAll(async () => slack?.stop());
  const sender = () => slackSender({ token: 'xoxb-test', channel: '#keywatch', apiUrl: slack.url });

  const hostile = '<!channel> rotate now <https://evil.example|console> <@U123>';
  const n: Notification = {
    title: `High usage: ${hostile}`,
    severity: 'warning',
    summary: `High usage: ${hostile}: 21 requests`,
    fields: [
      { label: 'Key', value: `${hostile} (kw_live_ab…)` },
      { label: 'Reason', value: 'a & b' },
    ],
  };

  it('escapes tenant text everywhere Slack reads mrkdwn, with no mention or link left', async () => {
    await sender().send(n);
    const [call] = slack.messages().slice(-1);
    const body = call!.body;
    expect(body.text).toBe(
      'High usage: &lt;!channel&gt; rotate now &lt;https://evil.example|console&gt; &lt;@U123&gt;: 21 requests',
    );
    const mrkdwn = JSON.stringify((body.blocks as { type: string }[]).filter((b) => b.type !== 'header'));
    expect(mrkdwn).toContain(
      '*Key*\\n&lt;!channel&gt; rotate now &lt;https://evil.example|console&gt; &lt;@U123&gt;',
    );
    expect(mrkdwn).toContain('a &amp; b');
    expect(`${body.text}${mrkdwn}`).not.toMatch(/<[!@#]|<https?:/);
    // The client form-encodes its arguments.
    expect(body).toMatchObject({ link_names: 'false', unfurl_links: 'false', unfurl_media: 'false' });
  });

  it.each([
    [{ status: 200, body: { ok: false, error: 'channel_not_found' } }, 'slack: channel_not_found'],
    [{ status: 200, body: { ok: false, error: 'not_in_channel' } }, 'slack: not_in_channel'],
    [{ status: 503, body: { ok: false } }, 'slack: 503 from Slack'],
  ])('tells a tenant %j as %s', async (reply, expected) => {
    slack.reply(reply);
    const failure = await sender()
      .send(n, '#elsewhere')
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(publicDeliveryError('slack', failure)).toBe(expected);
  });

  it('says Slack could not be reached without naming where it is', async () => {
    const unreachable = slackSender({ token: 'x', channel: '#k', apiUrl: 'http://127.0.0.1:9/api/' });
    const failure = await unreachable.send(n).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(publicDeliveryError('slack', failure)).toBe('slack: could not reach Slack');
  });
});
