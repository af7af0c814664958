import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  type ChannelSender,
  type Notification,
  PermanentDeliveryError,
  RetryLaterError,
  type SendResult,
} from './notification.ts';

export const SIGNATURE_HEADER = 'x-keywatch-signature';
export const TIMESTAMP_HEADER = 'x-keywatch-timestamp';

/** `sha256=` + hex HMAC-SHA256 of `<timestamp>.<body>`: the timestamp is signed too, against replays. */
export const webhookSignature = (secret: string, timestamp: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

/**
 * What a receiver does: the signature matches, and the timestamp is within `toleranceSec` of now.
 * Exported so receivers (and our tests) check exactly what we sign.
 */
export function verifyWebhook(
  secret: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  body: string,
  now = Date.now(),
  toleranceSec = 300,
): boolean {
  const { signature, timestamp } = headers;
  if (!signature || !timestamp || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(now / 1000 - Number(timestamp)) > toleranceSec) return false;
  const expected = Buffer.from(webhookSignature(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Webhooks: the notification as JSON, POSTed to the route's URL and signed with the installation's
 * secret. 2xx is sent; 429 waits as asked; other 4xx are permanent (the receiver refuses it); 5xx
 * and network errors are retried by the queue.
 */
export function webhookSender({
  secret,
  timeoutMs = 10_000,
}: {
  secret: string;
  timeoutMs?: number;
}): ChannelSender {
  return {
    async send(n: Notification, url?: string): Promise<SendResult> {
      if (!url) throw new PermanentDeliveryError('webhook: no URL for this notification');
      const body = JSON.stringify({
        type: 'keywatch.notification',
        title: n.title,
        severity: n.severity,
        summary: n.summary,
        fields: n.fields,
      });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: webhookSignature(secret, timestamp, body),
        },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.body?.cancel();
      if (res.ok) return {};
      if (res.status === 429) {
        const wait = Number(res.headers.get('retry-after'));
        throw new RetryLaterError('webhook: 429', (Number.isFinite(wait) && wait > 0 ? wait : 5) * 1000);
      }
      if (res.status >= 400 && res.status < 500 && res.status !== 408)
        throw new PermanentDeliveryError(`webhook: ${res.status} from the receiver`);
      throw new Error(`webhook: ${res.status} from the receiver`);
    },
  };
}
