import { and, desc, eq, gt, isNull, lte, or } from 'drizzle-orm';
import type { Db } from './client.ts';
import type { Actor } from './keys.ts';
import { auditLog, webhookSecrets } from './schema.ts';

/** A new signing secret for an org, made by the caller, and until when the one it replaces still signs. */
export interface WebhookSecretReplacement {
  orgId: string;
  actor: Actor;
  /** The new secret, stored as given (it signs, so it cannot be hashed). */
  secret: string;
  now: Date;
  /** When the secret in force until now stops signing. */
  overlapEnds: Date;
}

/**
 * Stores the org's new webhook signing secret: the one in force keeps signing until `overlapEnds`,
 * any still overlapping from an earlier replacement stop now. The audit record says that it
 * changed, never what it is.
 */
export function replaceWebhookSecret(
  db: Db,
  { orgId, actor, secret, now, overlapEnds }: WebhookSecretReplacement,
): Promise<void> {
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
