import { eq } from 'drizzle-orm';
import type { Tx } from './client.ts';
import { orgs } from './schema.ts';

/** An org already holds the most of something it may: the API answers `409 conflict` with the message. */
export class OrgLimitError extends Error {
  override name = 'OrgLimitError';
}

/**
 * Holds the org's row until the transaction ends, so that two creations at the bound count one
 * after the other and only one gets in. `no key update` leaves the row's foreign-key checks (any
 * other insert of a key) unblocked.
 */
export async function lockOrg(tx: Tx, orgId: string): Promise<void> {
  await tx.select({ id: orgs.id }).from(orgs).where(eq(orgs.id, orgId)).for('no key update');
}

/** The creation's result, or the OrgLimitError it was refused with (any other failure still throws). */
export const orLimitError = <T>(creation: Promise<T>): Promise<T | OrgLimitError> =>
  creation.catch((err: unknown) => {
    if (err instanceof OrgLimitError) return err;
    throw err;
  });
