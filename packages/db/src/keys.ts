import { displayPrefix, generateSecret, hashSecret, type NewKeySpec } from '@keywatch/keys';
import { and, eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import { apiKeys, orgs } from './schema.ts';

export type Org = typeof orgs.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;

/** The org with this slug, created on first use. */
export async function ensureOrg(db: Db, slug: string, name = slug): Promise<Org> {
  await db.insert(orgs).values({ slug, name }).onConflictDoNothing({ target: orgs.slug });
  const [org] = await db.select().from(orgs).where(eq(orgs.slug, slug));
  return org!;
}

export interface IssuedKey {
  key: ApiKey;
  /** The secret, shown once and never stored. */
  secret: string;
}

/** Creates a key with a fresh secret; only the secret's hash is written. */
export async function issueKey(db: Db, orgId: string, spec: NewKeySpec): Promise<IssuedKey> {
  const secret = generateSecret();
  const [key] = await db
    .insert(apiKeys)
    .values({
      orgId,
      name: spec.name,
      type: spec.type,
      ownerEmail: spec.ownerEmail ?? null,
      hash: hashSecret(secret),
      prefix: displayPrefix(secret),
      scopes: spec.scopes,
      ipAllowlist: spec.ipAllowlist ?? null,
      rateLimit: spec.rateLimit ?? null,
      alerts: spec.alerts ?? null,
      expiresAt: spec.expiresAt ?? null,
    })
    .returning();
  return { key: key!, secret };
}

export async function findKeyByHash(db: Db, hash: string): Promise<ApiKey | undefined> {
  const [key] = await db.select().from(apiKeys).where(eq(apiKeys.hash, hash));
  return key;
}

/** A key of this org, or undefined: another org's key is as good as absent. */
export async function findOrgKey(db: Db, orgId: string, id: string): Promise<ApiKey | undefined> {
  const [key] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, id)));
  return key;
}

/** A key as the API and CLI show it: everything but the hash. */
export function keyView(key: ApiKey) {
  const { hash: _hash, lastUsedIp: _ip, ...visible } = key;
  return visible;
}
export type KeyView = ReturnType<typeof keyView>;
