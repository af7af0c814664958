const DAY_MS = 86_400_000;

export interface RotationCandidate {
  createdAt: Date;
  revokedAt: Date | null;
  expiresAt: Date | null;
  rotationDueAt: Date | null;
  /** Set once a successor key replaced this one: its successor's age counts from then. */
  rotatedAt: Date | null;
}

/** When a key created at `createdAt` must be rotated. */
export const rotationDueAt = (createdAt: Date, maxAgeDays: number): Date =>
  new Date(createdAt.getTime() + maxAgeDays * DAY_MS);

/**
 * A key is flagged for rotation once it is older than the limit (strictly: at exactly 90 days it
 * is not yet), while it is still usable (neither revoked nor expired), not already flagged and not
 * already rotated.
 * The rotation scan's SQL states the same rule set-wise.
 */
export function needsRotationFlag(key: RotationCandidate, asOf: Date, maxAgeDays: number): boolean {
  if (
    key.rotationDueAt ||
    key.rotatedAt ||
    (key.revokedAt && key.revokedAt <= asOf) ||
    (key.expiresAt && key.expiresAt <= asOf)
  ) {
    return false;
  }
  return rotationDueAt(key.createdAt, maxAgeDays) < asOf;
}
