import { ConfigError } from '@keywatch/config';
import { apiFailure, DEFAULT_URL } from './api.ts';
import { alertsCommand } from './commands/alerts.ts';
import {
  keysListCommand,
  keysRevokeCommand,
  keysRotateCommand,
  keysShowCommand,
} from './commands/api-keys.ts';
import { silencesAddCommand, silencesLiftCommand, silencesListCommand } from './commands/silences.ts';
import { usageCommand } from './commands/usage-report.ts';
import { type Command, type CommandGroup, hang, helpOf, UsageError } from './usage.ts';

// The commands that work on this machine's database and brokers. Their code (database, queues,
// brokers) loads only when one of them runs, so the HTTP commands start quickly.
const start: Command = {
  synopsis: 'keywatch start',
  details: 'Infrastructure, migrations and all four services, in the foreground.',
  run: async () => (await import('./commands/start.ts')).startCommand(),
};
const infra: Command = {
  synopsis: 'keywatch infra up|down|status',
  details: 'The local Kafka broker (and a check of Postgres and Redis).',
  run: async (args) => (await import('./commands/infra.ts')).infraCommand(args),
};
const migrate: Command = {
  synopsis: 'keywatch migrate',
  details: 'Create the database if needed and apply migrations.',
  run: async () => (await import('./commands/migrate.ts')).migrateCommand(),
};
const keysCreate: Command = {
  synopsis: `keywatch keys create --org <slug> --name <name> --scopes <a,b> [--expires-at <date>]
    [--type organization|personal|scoped] [--owner-email <e>]`,
  details: 'A key straight into Postgres, creating the org if needed; prints JSON with its secret.',
  run: async (args) => (await import('./commands/keys.ts')).keysCommand(['create', ...args]),
};
const rotationRun: Command = {
  synopsis: 'keywatch rotation run [--as-of <ISO time>] [--dry-run]',
  details: 'One rotation scan; prints { flagged, reminded }.',
  run: async (args) => (await import('./commands/rotation.ts')).rotationCommand(['run', ...args]),
};
const backtest: Command = {
  synopsis: `keywatch backtest --events <file|-> [--keys <file>] [--from <ISO>] [--to <ISO>]
keywatch backtest --org <slug> --from <ISO> --to <ISO> [--settings <file>]`,
  details: `The alerts the live pipeline would have recorded, replayed in memory and in event time: one JSON
line per alert in the order it would have fired (as GET /api/alerts shows it, plus firedAt), then
{ "summary": { events, keys, alerts, byRule, seconds, malformed, eventsPerSec } }. Nothing is
written or sent.
  --events <file|->  AuthEvents as JSON lines, as on the topic (gzip too; - is stdin), through the
                     aggregator's fold and the alerter's rules; a line that is not one is counted
                     and warned about on stderr
  --keys <file>      [{ "id", "orgId", "createdAt", "alerts"? }], as keys list --json prints; a
                     key missing from it counts as created at its first event, with alerts
                     { "unusualActivity": true }
  --from, --to       ISO date or time: only alerts firing in [from, to); earlier history builds
                     the baselines
  --org <slug>       the org's stored usage instead (--from and --to required), with its alert
                     settings, or with those in --settings <file> (JSON, the alerts shape)`,
  run: async (args) => (await import('./commands/backtest.ts')).backtestCommand(args),
};

const commands: Record<string, Command | CommandGroup> = {
  start,
  infra,
  migrate,
  keys: {
    subcommands: {
      create: keysCreate,
      list: keysListCommand,
      show: keysShowCommand,
      revoke: keysRevokeCommand,
      rotate: keysRotateCommand,
    },
  },
  rotation: { subcommands: { run: rotationRun } },
  backtest,
  usage: usageCommand,
  alerts: alertsCommand,
  silences: {
    subcommands: { list: silencesListCommand, add: silencesAddCommand, lift: silencesLiftCommand },
  },
};

const synopses = (list: Command[]) => list.map((c) => hang('  ', c.synopsis)).join('\n');

const HELP = `keywatch — monitoring and alerting for API keys

On this machine's database and brokers (configured as for the services, see README.md):
${synopses([start, infra, migrate, keysCreate, rotationRun, backtest])}

Over a running verifier's HTTP API, as an admin of one org (tables for people, times in UTC;
--json prints the API's JSON for scripts):
${synopses([
  keysListCommand,
  keysShowCommand,
  keysRevokeCommand,
  keysRotateCommand,
  usageCommand,
  alertsCommand,
  silencesListCommand,
  silencesAddCommand,
  silencesLiftCommand,
])}

Environment of these:
  KEYWATCH_URL        where the verifier answers (default ${DEFAULT_URL})
  KEYWATCH_ADMIN_KEY  an admin key of the org (required)

Exit codes:
  0  success
  1  the API refused (on stderr: keywatch <command>: <status> <code>: <message>), or another failure
  2  a usage error: a bad or unknown flag, a missing argument, a bad environment variable
  3  the verifier could not be reached at KEYWATCH_URL (refused, unknown host, no answer in 30 s)
A command that fails prints nothing on stdout.

keywatch <command> --help shows a command's flags.`;

const HELP_FLAGS = ['--help', '-h'];
const has = <T>(table: Record<string, T>, word: string | undefined): word is string =>
  word !== undefined && Object.hasOwn(table, word);

/** Finds the command the words name and runs it; the exit code. */
async function main([name, ...rest]: string[]): Promise<number> {
  if (name === undefined || name === 'help' || HELP_FLAGS.includes(name)) return print(HELP, 0);
  if (!has(commands, name)) return print(`keywatch: unknown command '${name}'\n\n${HELP}`, 2);
  const entry = commands[name]!;
  let label = name;
  let command: Command;
  let args = rest;
  if ('subcommands' in entry) {
    const [word, ...subArgs] = rest;
    if (word !== undefined && HELP_FLAGS.includes(word)) return print(helpOf(entry), 0);
    if (!has(entry.subcommands, word))
      return print(
        `keywatch ${name}: ${word ? `unknown subcommand '${word}'` : 'which one?'}\n${helpOf(entry)}`,
        2,
      );
    [label, command, args] = [`${name} ${word}`, entry.subcommands[word]!, subArgs];
  } else command = entry;
  // Anywhere among the flags, as in most CLIs: asking is never an error.
  if (args.some((a) => HELP_FLAGS.includes(a))) return print(helpOf(command), 0);

  try {
    return await command.run(args);
  } catch (err) {
    const refused = apiFailure(err);
    if (refused) return print(`keywatch ${label}: ${refused.message}`, refused.exitCode);
    if (err instanceof UsageError || err instanceof ConfigError)
      return print(`keywatch ${label}: ${err.message}`, 2);
    return print(`keywatch ${label}: ${(err as Error).stack ?? err}`, 1);
  }
}

/** Help asked for goes to stdout; anything printed on failure goes to stderr, leaving stdout empty. */
function print(text: string, exitCode: number): number {
  if (exitCode === 0) console.log(text);
  else console.error(text);
  return exitCode;
}

process.exitCode = await main(process.argv.slice(2));
