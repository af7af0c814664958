import { type ApiKey, dataOf } from '@keywatch/client';
import { apiFromEnv, JSON_OPTION, listAll, printJson } from '../api.ts';
import { fields, shortTime, table } from '../table.ts';
import { type Command, noArguments, onlyId, parse, positiveInteger, UsageError } from '../usage.ts';

/**
 * Whether the key still works and whether it should be rotated: what a person looks for first.
 * `listedAsDue`: the API's rotation-due list also holds keys old enough that no scan flagged yet.
 */
function status(key: ApiKey, listedAsDue = false, now = Date.now()): string {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && Date.parse(key.expiresAt) <= now) return 'expired';
  if (key.rotatedAt) return 'rotated'; // still working through its grace period
  if (key.rotationDueAt || listedAsDue) return 'rotation due';
  return 'active';
}

const rateLimit = (key: ApiKey) => (key.rateLimit ? `${key.rateLimit.limit}/${key.rateLimit.period}` : null);

export const keysListCommand: Command = {
  synopsis: 'keywatch keys list [--rotation-due] [--limit N] [--json]',
  details: `The org's keys, newest first; every page unless --limit.
  --rotation-due   only the live keys past their rotation date, oldest first
  --limit N        only the first N keys`,
  async run(args) {
    const { values, positionals } = parse(args, {
      'rotation-due': { type: 'boolean' },
      limit: { type: 'string' },
      ...JSON_OPTION,
    });
    noArguments(positionals);
    const limit = positiveInteger('limit', values.limit);
    const client = apiFromEnv();
    const listedAsDue = values['rotation-due'] ?? false;
    const rotationDue = listedAsDue ? 'true' : undefined;
    const keys = await listAll(
      limit,
      (page) => client.GET('/api/api-keys', { params: { query: { ...page, rotationDue } } }),
      (data) => data.keys,
    );
    if (values.json) printJson(keys);
    else
      console.log(
        table(
          [
            { header: 'ID', value: (k) => k.id },
            { header: 'NAME', value: (k) => k.name },
            { header: 'TYPE', value: (k) => k.type },
            { header: 'PREFIX', value: (k) => k.prefix },
            { header: 'SCOPES', value: (k) => k.scopes.join(',') },
            { header: 'STATUS', value: (k) => status(k, listedAsDue) },
            { header: 'CREATED', value: (k) => shortTime(k.createdAt) },
            { header: 'LAST USED', value: (k) => shortTime(k.lastUsedAt) },
            { header: 'EXPIRES', value: (k) => shortTime(k.expiresAt) },
          ],
          keys,
        ),
      );
    return 0;
  },
};

export const keysShowCommand: Command = {
  synopsis: 'keywatch keys show <id> [--json]',
  details: 'One key, its settings and its life so far (never its secret).',
  async run(args) {
    const { values, positionals } = parse(args, JSON_OPTION);
    const id = onlyId(positionals);
    const key = dataOf(await apiFromEnv().GET('/api/api-keys/{id}', { params: { path: { id } } }));
    if (values.json) printJson(key);
    else
      console.log(
        fields([
          ['id', key.id],
          ['name', key.name],
          ['type', key.type],
          ['owner', key.ownerEmail],
          ['prefix', key.prefix],
          ['scopes', key.scopes.join(',')],
          ['status', status(key)],
          ['ip allowlist', key.ipAllowlist?.join(',')],
          ['rate limit', rateLimit(key) ?? 'the default (100/minute)'],
          ['alerts', key.alerts ? 'its own settings (--json shows them)' : "the org's settings"],
          ['created', shortTime(key.createdAt)],
          ['last used', [shortTime(key.lastUsedAt), key.lastUsedCountry].filter(Boolean).join(' from ')],
          ['expires', shortTime(key.expiresAt)],
          ['revoked', shortTime(key.revokedAt)],
          ['rotation due', shortTime(key.rotationDueAt)],
          ['rotated', shortTime(key.rotatedAt)],
          ['rotated from', key.rotatedFromId],
        ]),
      );
    return 0;
  },
};

export const keysRevokeCommand: Command = {
  synopsis: 'keywatch keys revoke <id> [--json]',
  details: 'The key fails verification everywhere within a second. Revoking again answers the same.',
  async run(args) {
    const { values, positionals } = parse(args, JSON_OPTION);
    const id = onlyId(positionals);
    const key = dataOf(await apiFromEnv().DELETE('/api/api-keys/{id}', { params: { path: { id } } }));
    if (values.json) printJson(key);
    else console.log(`revoked key ${key.id} (${key.name}) at ${shortTime(key.revokedAt)}`);
    return 0;
  },
};

export const keysRotateCommand: Command = {
  synopsis: 'keywatch keys rotate <id> [--grace-period 24h] [--json]',
  details: `Issues a successor with the same settings and prints its secret, this once only.
  --grace-period D  how long the old key keeps working: 30m, 24h, 7d… (default 24h, at most 30d; 0s: none)`,
  async run(args) {
    const { values, positionals } = parse(args, { 'grace-period': { type: 'string' }, ...JSON_OPTION });
    const id = onlyId(positionals);
    const gracePeriod = values['grace-period'];
    if (gracePeriod !== undefined && !/^\d{1,6}[smhd]$/.test(gracePeriod))
      throw new UsageError(`--grace-period: not a duration like 30m, 24h or 7d: ${gracePeriod}`);
    const issued = dataOf(
      await apiFromEnv().POST('/api/api-keys/{id}/rotate', {
        params: { path: { id } },
        body: gracePeriod === undefined ? {} : { gracePeriod },
      }),
    );
    if (values.json) printJson(issued);
    else {
      const { key: secret, ...successor } = issued;
      console.log(
        [
          `rotated key ${id}: it keeps working for ${gracePeriod ?? 'the default grace period (24h)'}, then expires`,
          `new key ${successor.id} (${successor.name}, prefix ${successor.prefix})`,
          '',
          'Secret of the new key — shown this once only, store it now:',
          secret,
        ].join('\n'),
      );
    }
    return 0;
  },
};
