import { loadConfig } from '@keywatch/config';
import { connect, ensureOrg, keyView, migrate } from '@keywatch/db';
import { issueKey } from '@keywatch/key-lifecycle';
import { describeIssues, nameSchema, newKeySchema } from '@keywatch/keys';
import { parse, UsageError } from '../usage.ts';

/** `keywatch keys create`: a key straight into Postgres (creating the org if needed); prints JSON with the secret. */
export async function keysCommand(args: string[]): Promise<number> {
  const { positionals, values } = parse(args, {
    org: { type: 'string' },
    name: { type: 'string' },
    scopes: { type: 'string' },
    'expires-at': { type: 'string' },
    type: { type: 'string' },
    'owner-email': { type: 'string' },
  });
  if (positionals[0] !== 'create' || positionals.length > 1)
    throw new UsageError('usage: keywatch keys create --org <slug> --name <name> --scopes <a,b> …');
  if (!values.org) throw new UsageError('--org is required');
  // The slug is also the org's name, which alerts show.
  const orgName = nameSchema.safeParse(values.org);
  if (!orgName.success) throw new UsageError(`--org: ${orgName.error.issues[0]!.message}`);
  const spec = newKeySchema.safeParse({
    name: values.name,
    scopes: values.scopes
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    expiresAt: values['expires-at'],
    type: values.type,
    ownerEmail: values['owner-email'],
  });
  if (!spec.success)
    throw new UsageError(
      describeIssues(spec.error)
        .map((p) => `--${flagOf(p)}`)
        .join('; '),
    );

  const config = loadConfig();
  await migrate(config.DATABASE_URL);
  const database = connect(config.DATABASE_URL, { max: 1 });
  try {
    const org = await ensureOrg(database.db, orgName.data);
    const { key, secret } = await issueKey(database.db, org.id, spec.data);
    console.log(JSON.stringify({ ...keyView(key), key: secret }, null, 2));
    return 0;
  } finally {
    await database.close();
  }
}

// "expiresAt: Invalid date" → "expires-at: Invalid date", so the message names the flag typed.
const flagOf = (problem: string) =>
  problem.replace(/^[A-Za-z]+/, (field) => field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));
