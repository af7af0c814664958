/**
 * What alert settings would have fired last week (`POST /api/alerts/preview`): how many, and the
 * alerts themselves (key, rule, subject, severity, window, when), nothing recorded or sent.
 */
import type { PreviewedAlert } from '@keywatch/client';
import { api, dataOf } from '../api.ts';
import { PREVIEW_ROWS, previewSummary } from '../data/alert-preview.ts';
import { RULE_LABELS } from '../data/alerts.ts';
import { formatDateTime, formatNumber } from '../data/format.ts';
import { useLoad } from '../hooks.ts';
import { Link } from './Link.tsx';
import { Badge } from './Status.tsx';
import { type Column, Table } from './Table.tsx';

interface Props {
  alerts: PreviewedAlert[];
  /** The form has changed since: the list answers the settings as they were. */
  stale: boolean;
}

export function AlertPreview({ alerts, stale }: Props) {
  // The keys' names, for the list; without them (a failed load), their ids.
  const keys = useLoad(async (signal) => dataOf(await api.GET('/api/api-keys', { signal })).keys, 'keys');
  const names = new Map((keys.data ?? []).map((k) => [k.id, k.name]));
  const columns: Column<PreviewedAlert>[] = [
    {
      id: 'key',
      label: 'Key',
      rowHeader: true,
      render: (a) =>
        a.keyId ? (
          <Link href={`/keys/${encodeURIComponent(a.keyId)}`}>{names.get(a.keyId) ?? a.keyId}</Link>
        ) : (
          'Org-wide'
        ),
    },
    { id: 'rule', label: 'Rule', render: (a) => RULE_LABELS[a.rule] },
    { id: 'subject', label: 'Subject', render: (a) => <span class="wrap">{a.subject}</span> },
    {
      id: 'severity',
      label: 'Severity',
      render: (a) => <Badge tone={a.severity === 'critical' ? 'bad' : 'warn'}>{a.severity}</Badge>,
    },
    {
      id: 'window',
      label: 'Window',
      render: (a) =>
        `${a.window.period}, ${formatDateTime(a.window.start)} – ${formatDateTime(a.window.end)}`,
    },
    {
      id: 'value',
      label: 'Value / threshold',
      numeric: true,
      render: (a) => `${formatNumber(a.value)} / ${formatNumber(a.threshold)}`,
    },
    { id: 'fired', label: 'Would have fired', render: (a) => formatDateTime(a.firedAt) },
  ];
  return (
    <>
      <p role="status">
        <strong>{previewSummary(alerts.length)}</strong>
        {stale && (
          <span class="muted">
            {' '}
            The settings have changed since: preview again to see what they would fire.
          </span>
        )}
      </p>
      {alerts.length > 0 && (
        <Table
          caption="Alerts these settings would have fired last week, in the order they would have fired"
          captionHidden
          label="Previewed alerts"
          columns={columns}
          rows={alerts.slice(0, PREVIEW_ROWS)}
          rowKey={(a) => a.id}
        />
      )}
    </>
  );
}
