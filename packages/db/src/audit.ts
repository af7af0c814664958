import type { Tx } from './client.ts';
import { auditLog } from './schema.ts';

export type AuditRecord = typeof auditLog.$inferInsert;
export type AuditAction = AuditRecord['action'];

/** Writes one audit record, in the transaction of the change it records. */
export async function insertAuditRecord(tx: Tx, record: AuditRecord): Promise<void> {
  await tx.insert(auditLog).values(record);
}
