import { VERIFY_CODES } from '@keywatch/keys';
import { GRANULARITIES } from '@keywatch/rules';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type UsageReport, usageCsv } from '../usage-report.ts';

const usageFields = {
  requestCount: z.number().int(),
  successCount: z.number().int(),
  failureCount: z.number().int(),
  failureRate: z.number().describe('failureCount / requestCount (0 without requests)'),
  lastUsedAt: z.date().nullable(),
  byCode: z.partialRecord(z.enum(VERIFY_CODES), z.number().int()).describe('Verifications by result code'),
  countries: z.array(z.object({ country: z.string(), count: z.number().int() })).describe('Most used first'),
  series: z
    .array(
      z.object({
        t: z.iso.datetime().describe('Start of the bucket'),
        total: z.number().int(),
        success: z.number().int(),
        failure: z.number().int(),
      }),
    )
    .describe('One point per bucket that saw use'),
};

const SERIES_EXAMPLE = {
  requestCount: 1250,
  successCount: 1200,
  failureCount: 50,
  failureRate: 0.04,
  lastUsedAt: '2026-11-29T15:42:10.118Z',
  byCode: { VALID: 1200, INVALID_API_KEY: 30, RATE_LIMITED: 20 },
  countries: [{ country: 'DE', count: 1100 }],
  series: [{ t: '2026-11-29T00:00:00.000Z', total: 1250, success: 1200, failure: 50 }],
};

export const usageReportSchema = z
  .object({ keyId: z.uuid(), name: z.string().describe('The key’s name'), ...usageFields })
  .meta({
    id: 'UsageReport',
    description: 'One key’s usage over a range',
    examples: [{ keyId: '7f9c2e1a-3b4d-4c5e-8f60-1a2b3c4d5e6f', name: 'billing-service', ...SERIES_EXAMPLE }],
  });

export const orgUsageReportSchema = z
  .object({
    orgId: z.uuid(),
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    granularity: z.enum(GRANULARITIES),
    totals: z.object({
      keyId: z.null(),
      ...usageFields,
      activeKeys: z.number().int().describe('Keys with at least one verification in the range'),
    }),
    keys: z
      .array(usageReportSchema)
      .describe('Every key, oldest first; with `top`, the most used, most first'),
  })
  .meta({
    id: 'OrgUsageReport',
    description:
      'The org’s keys over a range (every key, oldest first, or the most used with `top`) and its totals',
    examples: [
      {
        orgId: '0b8f4d2c-6a1e-4f3b-9c7d-2e5a8b1c4d6f',
        from: '2026-11-28T00:00:00.000Z',
        to: '2026-11-29T16:00:00.000Z',
        granularity: 'day',
        totals: { keyId: null, ...SERIES_EXAMPLE, activeKeys: 1 },
        keys: [{ keyId: '7f9c2e1a-3b4d-4c5e-8f60-1a2b3c4d5e6f', name: 'billing-service', ...SERIES_EXAMPLE }],
      },
    ],
  });

const csv = z.string().meta({
  description: 'One row per key and bucket (the org’s totals as key `total` when there are several keys)',
  examples: [
    'key_id,bucket_start,total,success,failure,failure_rate\r\n7f9c…,2026-11-29T00:00:00.000Z,1250,1200,50,0.04\r\n',
  ],
});

/** A usage answer: JSON, or CSV for spreadsheets when the client asks for `text/csv`. */
export const usageResponse = <S extends z.ZodType>(schema: S) => ({
  description: 'The usage report; CSV when `Accept: text/csv`',
  headers: z.object({
    'content-disposition': z.string().meta({
      description: 'With CSV: an attachment and its file name',
      examples: ['attachment; filename="usage-2026-11-28.csv"'],
    }),
  }),
  content: { 'application/json': { schema }, 'text/csv': { schema: csv } },
});

/** JSON by default; CSV when the client asks for `text/csv` (spreadsheets, `curl -H 'Accept: text/csv'`). */
export function sendUsage<R>(
  request: FastifyRequest,
  reply: FastifyReply,
  report: R,
  asCsv: { filename: string; rows: Pick<UsageReport, 'keyId' | 'series'>[] },
): R | string {
  if (!request.headers.accept?.includes('text/csv')) return report;
  void reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${asCsv.filename}"`);
  return usageCsv(asCsv.rows);
}
