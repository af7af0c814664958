/** One alert: what fired, for which key, its window and value, its details, and each delivery. */
import type { Alert } from '@keywatch/client';
import { useId } from 'preact/hooks';
import { RULE_LABELS } from '../data/alerts.ts';
import { formatDateTime, formatNumber } from '../data/format.ts';
import { Link } from './Link.tsx';
import { Badge, type BadgeTone } from './Status.tsx';
import { type Column, Table } from './Table.tsx';

type Delivery = Alert['deliveries'][number];

const DELIVERY_TONE: Record<Delivery['status'], BadgeTone> = {
  pending: 'info',
  sending: 'info',
  sent: 'good',
  failed: 'bad',
  silenced: 'neutral',
  grouped: 'neutral',
  cancelled: 'neutral',
};

const deliveryColumns: Column<Delivery>[] = [
  { id: 'channel', label: 'Channel', rowHeader: true, render: (d) => d.channel },
  { id: 'status', label: 'Status', render: (d) => <Badge tone={DELIVERY_TONE[d.status]}>{d.status}</Badge> },
  { id: 'attempts', label: 'Attempts', numeric: true, render: (d) => formatNumber(d.attempts) },
  { id: 'sent', label: 'Sent', render: (d) => formatDateTime(d.sentAt) },
  { id: 'error', label: 'Error', render: (d) => (d.error ? <span class="wrap">{d.error}</span> : '—') },
];

/** A value of `details` as text (never markup). */
function detailText(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

interface Props {
  alert: Alert;
  keyName?: string | undefined;
  onSilence?: (() => void) | undefined;
  /** Don't link the key (on the key's own page). */
  hideKey?: boolean;
}

export function AlertCard({ alert, keyName, onSilence, hideKey }: Props) {
  const id = useId();
  const details = Object.entries(alert.details ?? {});
  return (
    <article class={`alert-card alert-${alert.state}`} aria-labelledby={`${id}-h`}>
      <div class="alert-head">
        <h3 id={`${id}-h`}>
          {RULE_LABELS[alert.rule]}: <span class="subject">{alert.subject}</span>
        </h3>
        <Badge tone={alert.severity === 'critical' ? 'bad' : 'warn'}>{alert.severity}</Badge>
        <Badge tone={alert.state === 'firing' ? 'bad' : 'good'}>{alert.state}</Badge>
      </div>
      <dl class="facts">
        {!hideKey && (
          <div>
            <dt>Key</dt>
            <dd>
              {alert.keyId ? (
                <Link href={`/keys/${encodeURIComponent(alert.keyId)}`}>{keyName ?? alert.keyId}</Link>
              ) : (
                'Org-wide'
              )}
            </dd>
          </div>
        )}
        <div>
          <dt>Window</dt>
          <dd>
            {alert.window.period}, {formatDateTime(alert.window.start)} – {formatDateTime(alert.window.end)}
          </dd>
        </div>
        <div>
          <dt>Value / threshold</dt>
          <dd>
            {formatNumber(alert.value)} / {formatNumber(alert.threshold)}
          </dd>
        </div>
        <div>
          <dt>Raised</dt>
          <dd>{formatDateTime(alert.createdAt)}</dd>
        </div>
        <div>
          <dt>Resolved</dt>
          <dd>{formatDateTime(alert.resolvedAt)}</dd>
        </div>
      </dl>
      {details.length > 0 && (
        <details class="more">
          <summary>Details</summary>
          <dl class="facts">
            {details.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd class="mono wrap">{detailText(v)}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
      {alert.deliveries.length > 0 ? (
        <Table
          caption="Deliveries"
          label={`Deliveries of ${RULE_LABELS[alert.rule]} alert`}
          columns={deliveryColumns}
          rows={alert.deliveries}
          rowKey={(d) => `${d.channel}-${d.sentAt ?? ''}-${d.attempts}-${d.status}`}
          class="compact"
          scroll={false}
        />
      ) : (
        <p class="muted">No deliveries recorded.</p>
      )}
      {onSilence && (
        <div class="actions">
          <button type="button" class="secondary" onClick={onSilence}>
            Silence…
          </button>
        </div>
      )}
    </article>
  );
}
