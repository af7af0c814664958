import { countriesSeen, type Db, findOrgKey, orgCreatedAt } from '@keywatch/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError, problems } from '../http/errors.ts';
import { TAGS } from '../http/openapi.ts';
import { ADMIN_SECURITY, adminErrors, errors, json } from '../http/schema.ts';
import { callerOf } from '../plugins/admin-auth.ts';
import { countriesQuery, countryCounts, resolveRange } from '../usage-report.ts';
import { KEY } from './api-keys/schemas.ts';

const countriesSchema = z
  .object({
    countries: z.array(
      z.object({
        country: z.string().describe('ISO 3166-1 alpha-2'),
        count: z.number().int().describe('Verifications from there within the range'),
        firstSeenAt: z.date().describe('First use from there, ever'),
        lastSeenAt: z.date().describe('Last use from there, ever'),
      }),
    ),
  })
  .meta({
    id: 'Countries',
    description: 'Where the org’s (or one key’s) keys were used from, most used first',
    examples: [
      {
        countries: [
          {
            country: 'DE',
            count: 1100,
            firstSeenAt: '2026-10-02T08:12:00.000Z',
            lastSeenAt: '2026-11-29T15:42:10.118Z',
          },
        ],
      },
    ],
  });

/** `GET /api/countries?from=&to=&granularity=&keyId=`: use by country over a range, with first and last seen. */
export const countriesRoute: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/api/countries',
    {
      schema: {
        summary: 'Use by country',
        description:
          'Verifications by client country within the range (the same buckets as the usage report, so the counts agree), with when each country was first and last seen.',
        tags: [TAGS.reports],
        security: ADMIN_SECURITY,
        querystring: countriesQuery,
        response: {
          200: json('Countries, most used first', countriesSchema),
          ...errors(400, ...adminErrors, 404),
        },
      },
    },
    async (request) => {
      const { orgId } = callerOf(request);
      const { keyId } = request.query;
      const key = keyId ? await findOrgKey(db, orgId, keyId) : undefined;
      if (keyId && !key) throw new ApiError(problems.notFound(KEY.resource));
      const createdAt = key?.createdAt ?? (await orgCreatedAt(db, orgId));
      const range = resolveRange(request.query, createdAt!, new Date());
      const of = key ? { keyId: key.id } : { orgId };
      const [counted, seen] = await Promise.all([countryCounts(db, of, range), countriesSeen(db, of)]);
      const seenAt = new Map(seen.map((s) => [s.country, s]));
      const countries = counted.flatMap(({ country, count }) => {
        const at = seenAt.get(country);
        return at?.firstSeenAt && at.lastSeenAt
          ? [{ country, count, firstSeenAt: at.firstSeenAt, lastSeenAt: at.lastSeenAt }]
          : [];
      });
      countries.sort((a, b) => b.count - a.count || a.country.localeCompare(b.country));
      return { countries };
    },
  );
};
