import { type ParseArgsConfig, parseArgs } from 'node:util';

/** Wrong words on the command line: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** A command or subcommand: its synopsis (its line in `keywatch --help`) and what `--help` adds. */
export interface Command {
  synopsis: string;
  /** What it does and what its flags mean, printed after the synopsis by `--help`. */
  details?: string;
  run(args: string[]): Promise<number>;
}

/** `keywatch keys …`: a word, then the subcommand's own arguments. */
export interface CommandGroup {
  subcommands: Record<string, Command>;
}

/** `prefix` before the first line of `text`, its width of spaces before the others (a wrapped synopsis). */
export const hang = (prefix: string, text: string) =>
  prefix + text.replaceAll('\n', `\n${' '.repeat(prefix.length)}`);

export const helpOf = (command: Command | CommandGroup): string =>
  'subcommands' in command
    ? `usage:\n${Object.values(command.subcommands)
        .map((c) => hang('  ', c.synopsis))
        .join('\n')}`
    : `${hang('usage: ', command.synopsis)}${command.details ? `\n\n${command.details}` : ''}`;

/** A `--limit` style count: a whole number of at least 1. */
export function positiveInteger(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(text)) throw new UsageError(`--${flag}: not a positive whole number: ${text}`);
  return Number(text);
}

/** A `--from` style instant: an ISO date or time, as given. */
export function isoInstant(flag: string, text: string | undefined): string | undefined {
  if (text !== undefined && !(/^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(Date.parse(text))))
    throw new UsageError(`--${flag}: not an ISO date or time (2026-11-29, 2026-11-29T15:00:00Z): ${text}`);
  return text;
}

/** A subcommand that takes flags only. */
export function noArguments(positionals: string[]): void {
  if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`);
}

/** The `<id>` a subcommand takes, and nothing after it. */
export function onlyId(positionals: string[]): string {
  if (positionals.length === 0) throw new UsageError('missing <id>');
  noArguments(positionals.slice(1));
  return positionals[0]!;
}
