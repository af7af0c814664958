import type { FastifyReply, FastifyRequest } from 'fastify';
import { type UsageReport, usageCsv } from '../usage-report.ts';

/** JSON by default; CSV when the client asks for `text/csv` (spreadsheets, `curl -H 'Accept: text/csv'`). */
export function sendUsage(
  request: FastifyRequest,
  reply: FastifyReply,
  report: object,
  csv: { filename: string; rows: Pick<UsageReport, 'keyId' | 'series'>[] },
) {
  if (!request.headers.accept?.includes('text/csv')) return reply.send(report);
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${csv.filename}"`)
    .send(usageCsv(csv.rows));
}
