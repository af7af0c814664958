/** A message to people, independent of the channel that carries it. */
export interface Notification {
  title: string;
  severity: 'info' | 'warning' | 'critical';
  /** Plain-text summary: the fallback where rich formatting is not shown. */
  summary: string;
  fields: { label: string; value: string }[];
}

export interface SendResult {
  /** The channel's id for what was sent (Slack's message ts), when it has one. */
  externalId?: string;
}

/** A failure that retrying cannot fix (bad token, unknown channel, refused recipient). */
export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError';
}

/**
 * What a webhook carries besides the message (the contract's payload): which delivery, of what,
 * for which org. Other channels ignore it.
 */
export interface DeliveryEnvelope {
  /** The delivery's id, the same on every retry, so a receiver can deduplicate. */
  id: string;
  event: 'alert.firing' | 'alert.resolved' | 'rotation.reminder' | 'alert.digest';
  /** Null for an alert about no org (credential stuffing from an IP). */
  orgId: string | null;
  /** The alert as `GET /api/alerts` shows it, without deliveries. */
  alert?: Record<string, unknown>;
}

/** The longest a receiver's Retry-After holds its deliveries: a tenant's receiver sets it. */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

/** A Retry-After in seconds as milliseconds to wait: at least 1 s, at most MAX_RETRY_AFTER_MS. */
export const retryAfterMs = (seconds: number): number =>
  Math.min(Math.max(1000, seconds * 1000), MAX_RETRY_AFTER_MS);

/** The channel asked us to wait (Slack's 429 Retry-After). */
export class RetryLaterError extends Error {
  override name = 'RetryLaterError';
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

export interface ChannelSender {
  /** `recipient` overrides the channel's default destination (a personal key's owner, by email). */
  send(notification: Notification, recipient?: string, envelope?: DeliveryEnvelope): Promise<SendResult>;
}

/** Shows only the display prefix of a key, never more. */
export const maskedPrefix = (prefix: string): string => `${prefix}…`;
