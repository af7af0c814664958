/** Where a notification can go. */
export const CHANNELS = ['slack', 'email', 'webhook', 'log'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * What a delivery carries: an alert, its resolution, a storm's digest, or rotation reminders: one
 * scan's for one destination (`rotation_digest`), or one key's (`rotation_reminder`, as versions
 * before the grouping queued them).
 */
export const DELIVERY_KINDS = [
  'alert',
  'resolution',
  'rotation_reminder',
  'digest',
  'rotation_digest',
] as const;
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];

/**
 * A delivery's record: `sending` is a claim (one worker at a time), `grouped` went out in its
 * minute's storm digest, `cancelled` is a reminder whose key was rotated or revoked before it went out.
 */
export const DELIVERY_STATUSES = [
  'pending',
  'sending',
  'sent',
  'failed',
  'silenced',
  'grouped',
  'cancelled',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
