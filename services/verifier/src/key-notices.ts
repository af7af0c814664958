import type { ApiKey } from '@keywatch/db';
import { keyNotices } from '@keywatch/rules';
import type { FastifyReply } from 'fastify';

/**
 * `X-Key-Rotation-Due` for a key past its rotation date and `X-Key-Expires` for one expiring
 * within 14 days (ISO 8601, UTC), so that clients and gateways can warn before anything breaks.
 */
export function keyNoticeHeaders(
  reply: FastifyReply,
  key: ApiKey,
  maxAgeDays: number,
  now = new Date(),
): void {
  const notices = keyNotices(key, now, maxAgeDays);
  if (notices.rotationDue) reply.header('x-key-rotation-due', notices.rotationDue.toISOString());
  if (notices.expires) reply.header('x-key-expires', notices.expires.toISOString());
}
