import type { Alert } from '@keywatch/client';
import { ALERT_STATES } from '@keywatch/rules';
import { apiFromEnv, JSON_OPTION, listAll, printJson } from '../api.ts';
import { shortTime, table } from '../table.ts';
import { type Command, noArguments, parse, positiveInteger, UsageError } from '../usage.ts';

/** `slack sent, email failed ×3`: where the alert went and how it fared. */
const deliveries = (alert: Alert) =>
  alert.deliveries
    .map((d) => `${d.channel} ${d.status}${d.attempts > 1 ? ` ×${d.attempts}` : ''}`)
    .join(', ');

export const alertsCommand: Command = {
  synopsis: 'keywatch alerts [--state firing|resolved] [--key <id>] [--limit N] [--json]',
  details: `The org's alerts, newest first, with their deliveries; every page unless --limit.
  --state     only firing or only resolved alerts
  --key <id>  only this key's alerts
  --limit N   only the newest N alerts
KEY is - for an org-wide alert (credential stuffing).`,
  async run(args) {
    const { values, positionals } = parse(args, {
      state: { type: 'string' },
      key: { type: 'string' },
      limit: { type: 'string' },
      ...JSON_OPTION,
    });
    noArguments(positionals);
    const state = values.state as (typeof ALERT_STATES)[number] | undefined;
    if (state !== undefined && !ALERT_STATES.includes(state))
      throw new UsageError(`--state: one of ${ALERT_STATES.join(', ')}, not ${state}`);
    const limit = positiveInteger('limit', values.limit);
    const client = apiFromEnv();
    const alerts = await listAll(
      limit,
      (page) => client.GET('/api/alerts', { params: { query: { ...page, state, keyId: values.key } } }),
      (data) => data.alerts,
    );
    if (values.json) printJson(alerts);
    else
      console.log(
        table(
          [
            { header: 'RULE', value: (a) => a.rule },
            { header: 'SUBJECT', value: (a) => a.subject },
            { header: 'SEVERITY', value: (a) => a.severity },
            { header: 'STATE', value: (a) => a.state },
            { header: 'KEY', value: (a) => a.keyId },
            { header: 'WINDOW (UTC)', value: (a) => `${a.window.period} from ${shortTime(a.window.start)}` },
            { header: 'VALUE/THRESHOLD', value: (a) => `${a.value}/${a.threshold}`, align: 'right' },
            { header: 'DELIVERIES', value: deliveries },
          ],
          alerts,
        ),
      );
    return 0;
  },
};
