import { randomBase62 } from '@keywatch/keys';
import { and, desc, eq, gt, isNull, lte, or } from 'drizzle-orm';
import type { Db } from './client.ts';
import type { Actor } from './keys.ts';
import { auditLog, webhookSecrets } from './schema.ts';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';
/** How long the previous secret keeps signing after a rotation, so receivers can switch over. */
export const WEBHOOK_SECRET_OVERLAP_MS = 24 * 3600_000;

/**
 * Creates the org's webhook signing secret, or rotates it: the ones in force keep signing for
 * WEBHOOK_SECRET_OVERLAP_MS more. Returns the new secret, to be shown once; the audit record says
 * that it changed, never what it is.
 */
export function rotateWebhookSecret(db: Db, orgId: string, actor: Actor, now = new Date()): Promise<string> {
  const secret = WEBHOOK_SECRET_PREFIX + randomBase62(32);
  const overlapEnds = new Date(now.getTime() + WEBHOOK_SECRET_OVERLAP_MS);
  return db.transaction(async (tx) => {
    // Only the secret in force gets the overlap: those still overlapping from an earlier rotation
    // stop now, so a burst of rotations never piles signatures into one header.
    await tx
      .update(webhookSecrets)
      .set({ expiresAt: now })
      .where(and(eq(webhookSecrets.orgId, orgId), gt(webhookSecrets.expiresAt, now)));
    await tx
      .delete(webhookSecrets)
      .where(and(eq(webhookSecrets.orgId, orgId), lte(webhookSecrets.expiresAt, now)));
    const retired = await tx
      .update(webhookSecrets)
      .set({ expiresAt: overlapEnds })
      .where(and(eq(webhookSecrets.orgId, orgId), isNull(webhookSecrets.expiresAt)))
      .returning({ id: webhookSecrets.id });
    const [created] = await tx
      .insert(webhookSecrets)
      .values({ orgId, secret, createdAt: now })
      .returning({ id: webhookSecrets.id });
    await tx.insert(auditLog).values({
      orgId,
      actorKeyId: actor,
      action: 'org.webhook_secret.rotate',
      keyId: null,
      before:
        retired.length > 0
          ? { secretIds: retired.map((r) => r.id), signUntil: overlapEnds.toISOString() }
          : null,
      after: { secretId: created!.id },
      at: now,
    });
    return secret;
  });
}

/** The org's secrets that sign a webhook sent now, newest first; empty when it has none. */
export async function webhookSigningSecrets(db: Db, orgId: string, now = new Date()): Promise<string[]> {
  const rows = await db
    .select({ secret: webhookSecrets.secret })
    .from(webhookSecrets)
    .where(
      and(
        eq(webhookSecrets.orgId, orgId),
        or(isNull(webhookSecrets.expiresAt), gt(webhookSecrets.expiresAt, now)),
      ),
    )
    .orderBy(desc(webhookSecrets.createdAt));
  return rows.map((r) => r.secret);
}
