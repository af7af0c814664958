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
  send(notification: Notification, recipient?: string): Promise<SendResult>;
}

/** Shows only the display prefix of a key, never more. */
export const maskedPrefix = (prefix: string): string => `${prefix}…`;
