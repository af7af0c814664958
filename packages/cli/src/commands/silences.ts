import { dataOf, type NewSilence, type Silence } from '@keywatch/client';
import { DURATION_UNIT_MS, RULE_NAMES } from '@keywatch/rules';
import { apiFromEnv, JSON_OPTION, listAll, printJson } from '../api.ts';
import { fields, shortTime, table } from '../table.ts';
import { type Command, noArguments, onlyId, parse, UsageError } from '../usage.ts';

/** `--until`: an ISO time, or a duration from now (`90m`, `2h`, `3d`), as the ISO time the API takes. */
export function untilOf(text: string, now = Date.now()): string {
  const duration = /^(\d{1,6})([mhd])$/.exec(text);
  if (duration)
    return new Date(
      now + Number(duration[1]) * DURATION_UNIT_MS[duration[2] as 'm' | 'h' | 'd'],
    ).toISOString();
  const at = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at))
    throw new UsageError(`--until: not an ISO time (2026-11-30T09:00:00Z) or a duration (2h, 3d): ${text}`);
  return new Date(at).toISOString();
}

const silenceFields = (s: Silence) =>
  fields([
    ['id', s.id],
    ['key', s.keyId],
    ['rule', s.rule],
    ['until', shortTime(s.until)],
    ['reason', s.reason],
  ]);

export const silencesListCommand: Command = {
  synopsis: 'keywatch silences list [--json]',
  details: 'The silences in force, newest first. KEY or RULE - means any.',
  async run(args) {
    const { values, positionals } = parse(args, JSON_OPTION);
    noArguments(positionals);
    const client = apiFromEnv();
    const silences = await listAll(
      undefined,
      (page) => client.GET('/api/silences', { params: { query: page } }),
      (data) => data.silences,
    );
    if (values.json) printJson(silences);
    else
      console.log(
        table(
          [
            { header: 'ID', value: (s) => s.id },
            { header: 'KEY', value: (s) => s.keyId },
            { header: 'RULE', value: (s) => s.rule },
            { header: 'UNTIL (UTC)', value: (s) => shortTime(s.until) },
            { header: 'REASON', value: (s) => s.reason },
            { header: 'CREATED', value: (s) => shortTime(s.createdAt) },
          ],
          silences,
        ),
      );
    return 0;
  },
};

export const silencesAddCommand: Command = {
  synopsis: `keywatch silences add (--key <id> | --rule ${RULE_NAMES.join('|')})\n    --until <time> --reason <text> [--json]`,
  details: `Mutes the notifications of matching alerts until then; the alerts are still recorded.
  --key, --rule  what to mute: a key's alerts, a rule's, or (both) a rule's of one key
  --until        an ISO time (2026-11-30T09:00:00Z) or a duration from now (90m, 2h, 3d); at most 90 days
  --reason       why, for whoever reads the silences later`,
  async run(args) {
    const { values, positionals } = parse(args, {
      key: { type: 'string' },
      rule: { type: 'string' },
      until: { type: 'string' },
      reason: { type: 'string' },
      ...JSON_OPTION,
    });
    noArguments(positionals);
    const rule = values.rule as NewSilence['rule'];
    if (rule !== undefined && !RULE_NAMES.includes(rule))
      throw new UsageError(`--rule: one of ${RULE_NAMES.join(', ')}, not ${rule}`);
    if (!values.key && !rule) throw new UsageError('--key or --rule is required');
    if (!values.until) throw new UsageError('--until is required');
    if (!values.reason?.trim()) throw new UsageError('--reason is required');
    const body: NewSilence = { keyId: values.key, rule, until: untilOf(values.until), reason: values.reason };
    const silence = dataOf(await apiFromEnv().POST('/api/silences', { body }));
    if (values.json) printJson(silence);
    else console.log(`silence added\n${silenceFields(silence)}`);
    return 0;
  },
};

export const silencesLiftCommand: Command = {
  synopsis: 'keywatch silences lift <id> [--json]',
  details: 'The silence ends now; one already over is not found.',
  async run(args) {
    const { values, positionals } = parse(args, JSON_OPTION);
    const id = onlyId(positionals);
    const silence = dataOf(await apiFromEnv().DELETE('/api/silences/{id}', { params: { path: { id } } }));
    if (values.json) printJson(silence);
    else console.log(`lifted silence\n${silenceFields(silence)}`);
    return 0;
  },
};
