import { createHmac, timingSafeEqual } from 'node:crypto';
import type { BlockList } from 'node:net';
import { fetch } from 'undici';
import { AddressRefusedError, guardedAgent } from './address-guard.ts';
import {
  type ChannelSender,
  type DeliveryEnvelope,
  type Notification,
  PermanentDeliveryError,
  RetryLaterError,
  retryAfterMs,
  type SendResult,
} from './notification.ts';

export const SIGNATURE_HEADER = 'x-keywatch-signature';
export const TIMESTAMP_HEADER = 'x-keywatch-timestamp';

/** `sha256=` + hex HMAC-SHA256 of `<timestamp>.<body>`: the timestamp is signed too, against replays. */
export const webhookSignature = (secret: string, timestamp: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

/**
 * What a receiver does: one of the header's `sha256=` signatures (several during a rotation of the
 * secret) matches, and the timestamp is within `toleranceSec` of now. Exported so receivers (and
 * our tests) check exactly what we sign.
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
  return signature.split(',').some((candidate) => {
    const given = Buffer.from(candidate.trim());
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}

export const NO_SECRET = 'no webhook signing secret: create one with POST /api/webhook-secret';

export interface WebhookOptions {
  /** The org's secrets that sign now (the current one, and a previous one for 24 h after a rotation). */
  secretsOf(orgId: string): Promise<string[]>;
  /** WEBHOOK_ALLOWED_NETWORKS: private addresses webhooks may reach nevertheless. */
  allowed: BlockList;
  timeoutMs?: number;
}

/** The retry-after header (seconds or an HTTP date) in ms, capped; 5 s when absent or unreadable. */
function retryAfterOf(header: string | null, now = Date.now()): number {
  const seconds = Number(header);
  if (header && Number.isFinite(seconds) && seconds >= 0) return retryAfterMs(seconds);
  const at = header ? Date.parse(header) : Number.NaN;
  return retryAfterMs(Number.isFinite(at) ? (at - now) / 1000 : 5);
}

/**
 * Webhooks: the contract's payload as JSON, POSTed to the route's URL, signed with the org's
 * secrets, through a connection that refuses the installation's own network. 2xx is sent; 429
 * waits as asked (capped); a redirect and other 4xx are permanent; 5xx and network errors are
 * retried by the queue.
 */
export function webhookSender({ secretsOf, allowed, timeoutMs = 10_000 }: WebhookOptions): ChannelSender {
  const dispatcher = guardedAgent(allowed, { timeoutMs });
  return {
    async send(n: Notification, url?: string, envelope?: DeliveryEnvelope): Promise<SendResult> {
      if (!url) throw new PermanentDeliveryError('webhook: no URL for this notification');
      if (!envelope) throw new PermanentDeliveryError('webhook: no delivery to describe');
      const secrets = envelope.orgId ? await secretsOf(envelope.orgId) : [];
      if (secrets.length === 0) throw new PermanentDeliveryError(NO_SECRET);
      const body = JSON.stringify({
        type: 'keywatch.notification',
        id: envelope.id,
        event: envelope.event,
        orgId: envelope.orgId,
        title: n.title,
        severity: n.severity,
        summary: n.summary,
        fields: n.fields,
        ...(envelope.alert ? { alert: envelope.alert } : {}),
      });
      const timestamp = String(Math.floor(Date.now() / 1000));
      let res: Awaited<ReturnType<typeof fetch>>;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [TIMESTAMP_HEADER]: timestamp,
            [SIGNATURE_HEADER]: secrets.map((s) => webhookSignature(s, timestamp, body)).join(','),
          },
          body,
          redirect: 'manual',
          dispatcher,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        const cause = (err as Error).cause;
        if (cause instanceof AddressRefusedError) throw new PermanentDeliveryError(cause.message);
        throw err;
      }
      await res.body?.cancel();
      if (res.ok) return {};
      if (res.status === 429)
        throw new RetryLaterError(
          'webhook: 429 from the receiver',
          retryAfterOf(res.headers.get('retry-after')),
        );
      if (res.status >= 300 && res.status < 400)
        throw new PermanentDeliveryError(
          `webhook: ${res.status} from the receiver (redirects are not followed)`,
        );
      if (res.status >= 400 && res.status < 500 && res.status !== 408)
        throw new PermanentDeliveryError(`webhook: ${res.status} from the receiver`);
      throw new Error(`webhook: ${res.status} from the receiver`);
    },
  };
}
