import { type KnownBlock, WebAPIPlatformError, WebAPIRateLimitedError, WebClient } from '@slack/web-api';
import {
  type ChannelSender,
  type Notification,
  PermanentDeliveryError,
  RetryLaterError,
  retryAfterMs,
  type SendResult,
} from './notification.ts';

// Slack errors that no retry can fix: https://api.slack.com/methods/chat.postMessage#errors
const PERMANENT = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'missing_scope',
  'invalid_blocks',
  'msg_too_long',
]);

/**
 * Text for Slack mrkdwn (and the `text` fallback, which Slack parses too): `<…>` is how Slack
 * spells mentions (`<!channel>`, `<@U…>`) and links, so a tenant's `<` must never open one.
 */
export const escapeSlack = (text: string): string =>
  text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);

const ICONS = { info: ':information_source:', warning: ':warning:', critical: ':rotating_light:' } as const;

// Slack refuses a section field longer than this (invalid_blocks), for good: it is clipped instead.
const FIELD_CHARS = 2000;

/** A field's mrkdwn, clipped to what Slack takes, never ending in half an escape. */
function fieldText(label: string, value: string): string {
  const text = `*${escapeSlack(label)}*\n${escapeSlack(value)}`;
  return text.length <= FIELD_CHARS ? text : `${text.slice(0, FIELD_CHARS - 1).replace(/&[a-z]*$/, '')}…`;
}

export function slackBlocks(n: Notification): KnownBlock[] {
  return [
    { type: 'header', text: { type: 'plain_text', text: `${n.title}`.slice(0, 150) } },
    {
      type: 'section',
      fields: n.fields.slice(0, 10).map((f) => ({ type: 'mrkdwn', text: fieldText(f.label, f.value) })),
    },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `${ICONS[n.severity]} ${n.severity} · keywatch` }],
    },
  ];
}

export interface SlackOptions {
  token: string;
  channel: string;
  /** Slack API base URL (SLACK_API_URL); Slack's own when unset. */
  apiUrl?: string;
}

/** `chat.postMessage` through Slack's own client; retries are the job queue's, not the client's. */
export function slackSender({ token, channel, apiUrl }: SlackOptions): ChannelSender {
  const client = new WebClient(token, {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
  });
  return {
    async send(n, recipient): Promise<SendResult> {
      try {
        const result = await client.chat.postMessage({
          channel: recipient ?? channel,
          text: escapeSlack(n.summary),
          blocks: slackBlocks(n),
          link_names: false,
          unfurl_links: false,
          unfurl_media: false,
        });
        return { externalId: result.ts };
      } catch (err) {
        if (err instanceof WebAPIRateLimitedError) {
          throw new RetryLaterError('slack rate limited', retryAfterMs(err.retryAfter));
        }
        if (err instanceof WebAPIPlatformError && PERMANENT.has(err.data.error)) {
          throw new PermanentDeliveryError(`slack: ${err.data.error}`, { cause: err });
        }
        throw err;
      }
    },
  };
}
