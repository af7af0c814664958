import { type Actor, type Db, replaceWebhookSecret } from '@keywatch/db';
import { randomBase62 } from '@keywatch/keys';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';
/** How long the previous secret keeps signing after a rotation, so receivers can switch over. */
export const WEBHOOK_SECRET_OVERLAP_MS = 24 * 3600_000;

/**
 * Creates the org's webhook signing secret, or rotates it: the one in force keeps signing for
 * WEBHOOK_SECRET_OVERLAP_MS more. Returns the new secret, to be shown once; the audit record says
 * that it changed, never what it is.
 */
export async function rotateWebhookSecret(
  db: Db,
  orgId: string,
  actor: Actor,
  now = new Date(),
): Promise<string> {
  const secret = WEBHOOK_SECRET_PREFIX + randomBase62(32);
  const overlapEnds = new Date(now.getTime() + WEBHOOK_SECRET_OVERLAP_MS);
  await replaceWebhookSecret(db, { orgId, actor, secret, now, overlapEnds });
  return secret;
}
