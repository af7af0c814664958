import { ConfigError } from '@keywatch/config';
import { infraCommand } from './commands/infra.ts';
import { keysCommand } from './commands/keys.ts';
import { migrateCommand } from './commands/migrate.ts';
import { rotationCommand } from './commands/rotation.ts';
import { startCommand } from './commands/start.ts';
import { UsageError } from './usage.ts';

const HELP = `keywatch — monitoring and alerting for API keys

  keywatch start                      infrastructure, migrations and all four services, in the foreground
  keywatch infra up|down|status       the local Kafka broker (and a check of Postgres and Redis)
  keywatch migrate                    create the database if needed and apply migrations
  keywatch keys create --org <slug> --name <name> --scopes <a,b> [--expires-at <date>]
                       [--type organization|personal|scoped] [--owner-email <e>]
  keywatch rotation run [--as-of <ISO time>] [--dry-run]

Configuration comes from the environment (see README.md).`;

const commands: Record<string, (args: string[]) => Promise<number>> = {
  start: startCommand,
  infra: infraCommand,
  migrate: migrateCommand,
  keys: keysCommand,
  rotation: rotationCommand,
};

const [name, ...rest] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
if (!command || name === 'help' || name === '--help') {
  console.log(HELP);
  process.exit(command || !name || name === 'help' || name === '--help' ? 0 : 2);
}
try {
  process.exitCode = await command(rest);
} catch (err) {
  if (err instanceof UsageError || err instanceof ConfigError) {
    console.error(`keywatch ${name}: ${err.message}`);
    process.exitCode = 2;
  } else {
    console.error(`keywatch ${name}: ${(err as Error).stack ?? err}`);
    process.exitCode = 1;
  }
}
