import { loadConfig } from '@keywatch/config';
import { connect, migrate } from '@keywatch/db';
import { createQueues } from '@keywatch/jobs';
import { installationChannels } from '@keywatch/notify';
import { rotationPolicy, runRotationScan } from '@keywatch/rotation-scan';
import { parse, UsageError } from '../usage.ts';

/** `keywatch rotation run [--as-of <ISO>] [--dry-run]`: one scan, printing `{ flagged, reminded }`. */
export async function rotationCommand(args: string[]): Promise<number> {
  const { positionals, values } = parse(args, {
    'as-of': { type: 'string' },
    'dry-run': { type: 'boolean' },
  });
  if (positionals[0] !== 'run' || positionals.length > 1)
    throw new UsageError('usage: keywatch rotation run [--as-of <ISO time>] [--dry-run]');
  const asOf = values['as-of'] ? new Date(values['as-of']) : new Date();
  if (Number.isNaN(asOf.getTime())) throw new UsageError(`--as-of: not a date: ${values['as-of']}`);
  const dryRun = values['dry-run'] ?? false;

  const config = loadConfig();
  await migrate(config.DATABASE_URL);
  // Two connections: the scan holds its lock on one and works on the other.
  const database = connect(config.DATABASE_URL, { max: 2 });
  const queues = dryRun ? undefined : createQueues(config);
  try {
    const result = await runRotationScan({
      database,
      asOf,
      policy: rotationPolicy(config),
      dryRun,
      deliver: queues?.deliver,
      channels: installationChannels(config),
    });
    const { skipped, ...summary } = result;
    console.log(JSON.stringify(skipped ? { ...summary, skipped } : summary, null, 2));
    return 0;
  } finally {
    await queues?.close();
    await database.close();
  }
}
