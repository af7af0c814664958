import type { KeyRow } from '../data/keys.ts';
import { Badge } from './Status.tsx';

/** A key's state in a word: active, rotation due, rotated (in its grace period), expired, revoked. */
export function StatusBadge({ row }: { row: Pick<KeyRow, 'status' | 'due'> }) {
  if (row.status === 'active')
    return row.due ? <Badge tone="warn">rotation due</Badge> : <Badge tone="good">active</Badge>;
  if (row.status === 'rotated') return <Badge tone="info">rotated</Badge>;
  return <Badge tone="neutral">{row.status}</Badge>;
}
