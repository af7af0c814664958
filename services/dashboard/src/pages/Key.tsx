/**
 * One key: who it is and its state, usage by minute/hour/day with zoom, failures by reason,
 * countries with first and last seen, distinct IPs per hour, its alerts with deliveries, and its
 * settings edited in place (PATCH, errors per field).
 */
import type { Alert, ApiKey, ApiKeyPatch } from '@keywatch/client';
import { useEffect, useState } from 'preact/hooks';
import { api, dataOf, KeywatchApiError } from '../api.ts';
import { getCountries, getKeyIps, rangeParams } from '../api-extra.ts';
import { AlertCard } from '../components/AlertCard.tsx';
import { Chart } from '../components/Chart.tsx';
import { CountriesSection } from '../components/CountriesPanel.tsx';
import { FormErrors } from '../components/Field.tsx';
import { KeyActions } from '../components/KeyActions.tsx';
import { KeyFields } from '../components/KeyFields.tsx';
import { UsageKpis } from '../components/KpiCard.tsx';
import { Link } from '../components/Link.tsx';
import { FailureReasons, OutcomeChart } from '../components/UsagePanels.tsx';
import { RangePicker } from '../components/RangePicker.tsx';
import { SilenceDialog } from '../components/SilenceDialog.tsx';
import { ErrorBox, Loading, Notice } from '../components/Status.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { ALERT_FIELDS } from '../data/alert-form.ts';
import { formatDateTime, formatNumber, formatRelative } from '../data/format.ts';
import { KEY_FIELDS, type KeyForm, keyPatchBody, keyToForm } from '../data/key-form.ts';
import { buildKeyRows } from '../data/keys.ts';
import { FORM } from '../data/problems.ts';
import {
  allowedGranularities,
  parseRange,
  previousRange,
  type RangeSpec,
  type ResolvedRange,
  rangeQuery,
  resolveRange,
} from '../data/range.ts';
import { alignValues } from '../data/series.ts';
import { useLoad, useNow, useTitle } from '../hooks.ts';
import { useSubmission } from '../submission.ts';
import { type PageProps, setQuery } from '../router.ts';
import { COLORS } from '../theme.ts';

const IPS_KEPT_DAYS = 8;
const MINUTE = 60_000;

/** A zoomed span as a custom range, to the minute, at the finest granularity it allows. */
function zoomedSpec(zoom: { from: Date; to: Date }): RangeSpec {
  const from = new Date(Math.floor(zoom.from.getTime() / MINUTE) * MINUTE);
  const to = new Date(Math.max(Math.ceil(zoom.to.getTime() / MINUTE) * MINUTE, from.getTime() + MINUTE));
  return {
    preset: 'custom',
    from: from.toISOString(),
    to: to.toISOString(),
    granularity: allowedGranularities(from, to)[0],
  };
}

export default function KeyPage({ params, loc }: PageProps) {
  const id = params.id ?? '';
  const spec = parseRange(loc.query, '24h');
  const [now, refresh] = useNow(loc.search);
  const resolved = resolveRange(spec, now);
  const key = useLoad(
    async (signal) => dataOf(await api.GET('/api/api-keys/{id}', { params: { path: { id } }, signal })),
    `${id}/${now.getTime()}`,
  );
  useTitle(key.data ? `Key ${key.data.name}` : 'Key');
  const onRange = (next: RangeSpec) => setQuery(rangeQuery(next), { replace: false });

  if (key.error instanceof KeywatchApiError && key.error.status === 404) {
    return (
      <>
        <h1 tabIndex={-1}>Key not found</h1>
        <p>There is no key with this id in your org.</p>
        <Link href="/keys">Back to keys</Link>
      </>
    );
  }
  return (
    <>
      <p class="breadcrumb">
        <Link href="/keys">Keys</Link> <span aria-hidden="true">›</span>
      </p>
      {key.data ? <KeyHead apiKey={key.data} now={now} onChanged={key.reload} /> : <h1 tabIndex={-1}>Key</h1>}
      {key.error ? (
        <ErrorBox error={key.error} retry={key.reload} title="The key could not be loaded." />
      ) : null}
      {!key.data && !key.error && <Loading what="Loading the key" />}
      <div class="toolbar">
        <RangePicker
          spec={spec}
          range={resolved.ok ? resolved.range : null}
          onChange={onRange}
          showGranularity
        />
        <button type="button" class="secondary" onClick={refresh}>
          Refresh
        </button>
      </div>
      {resolved.ok ? (
        <KeyUsage id={id} range={resolved.range} apiKey={key.data} now={now} />
      ) : (
        <ErrorBox title="This range cannot be shown." error={new Error(resolved.error)} />
      )}
      <KeyAlerts id={id} apiKey={key.data} nowKey={now.getTime()} />
      {key.data && <KeySettings apiKey={key.data} onSaved={key.reload} />}
    </>
  );
}

function KeyHead({ apiKey, now, onChanged }: { apiKey: ApiKey; now: Date; onChanged: () => void }) {
  const [row] = buildKeyRows([apiKey], [], [], now);
  return (
    <div class="key-head">
      <div class="page-head">
        <h1 tabIndex={-1}>{apiKey.name}</h1>
        {row && <StatusBadge row={row} />}
        {row && <KeyActions apiKey={apiKey} status={row.status} onChanged={onChanged} />}
      </div>
      <dl class="facts facts-wide">
        <div>
          <dt>Prefix</dt>
          <dd class="mono">{apiKey.prefix}…</dd>
        </div>
        <div>
          <dt>Type</dt>
          <dd>{apiKey.type}</dd>
        </div>
        {apiKey.ownerEmail && (
          <div>
            <dt>Owner</dt>
            <dd>{apiKey.ownerEmail}</dd>
          </div>
        )}
        <div>
          <dt>Scopes</dt>
          <dd class="mono">{apiKey.scopes.join(', ')}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>
            {formatDateTime(apiKey.createdAt)} ({row ? `${formatNumber(row.ageDays)} days ago` : ''})
          </dd>
        </div>
        <div>
          <dt>Last used</dt>
          <dd>
            {formatRelative(apiKey.lastUsedAt, now)}
            {apiKey.lastUsedCountry ? ` from ${apiKey.lastUsedCountry}` : ''}
          </dd>
        </div>
        <div>
          <dt>Expires</dt>
          <dd>{apiKey.expiresAt ? formatDateTime(apiKey.expiresAt) : 'never'}</dd>
        </div>
        {apiKey.rotationDueAt && (
          <div>
            <dt>Rotation due since</dt>
            <dd>{formatDateTime(apiKey.rotationDueAt)}</dd>
          </div>
        )}
        {apiKey.rotatedAt && (
          <div>
            <dt>Rotated</dt>
            <dd>{formatDateTime(apiKey.rotatedAt)}</dd>
          </div>
        )}
        {apiKey.rotatedFromId && (
          <div>
            <dt>Replaces</dt>
            <dd>
              <Link href={`/keys/${encodeURIComponent(apiKey.rotatedFromId)}`}>
                the key it was rotated from
              </Link>
            </dd>
          </div>
        )}
        {apiKey.revokedAt && (
          <div>
            <dt>Revoked</dt>
            <dd>{formatDateTime(apiKey.revokedAt)}</dd>
          </div>
        )}
      </dl>
    </div>
  );
}

function KeyUsage({
  id,
  range,
  apiKey,
  now,
}: {
  id: string;
  range: ResolvedRange;
  apiKey: ApiKey | undefined;
  now: Date;
}) {
  const prev = previousRange(range);
  const rk = `${id}/${range.from.getTime()}/${range.to.getTime()}/${range.granularity}`;
  const usage = useLoad(
    async (signal) =>
      dataOf(
        await api.GET('/api/api-keys/{id}/usage', {
          params: { path: { id }, query: rangeParams(range) },
          signal,
        }),
      ),
    rk,
  );
  const before = useLoad(
    async (signal) =>
      dataOf(
        await api.GET('/api/api-keys/{id}/usage', {
          params: { path: { id }, query: rangeParams(prev) },
          signal,
        }),
      ),
    rk,
  );
  const countries = useLoad((signal) => getCountries({ ...rangeParams(range), keyId: id }, signal), rk);
  // Distinct IPs are counted per hour and kept for 8 days.
  const ipsFrom = new Date(Math.max(range.from.getTime(), now.getTime() - IPS_KEPT_DAYS * 86_400_000));
  const ipsTo = range.to;
  const ips = useLoad(
    (signal) =>
      ipsFrom < ipsTo
        ? getKeyIps(id, { from: ipsFrom.toISOString(), to: ipsTo.toISOString() }, signal)
        : Promise.resolve({ keyId: id, series: [] }),
    rk,
  );
  const [zoom, setZoom] = useState<{ from: Date; to: Date } | null>(null);
  useEffect(() => setZoom(null), [rk]);

  const u = usage.data;
  const p = before.data;
  const ipsAligned = ips.data
    ? alignValues(ips.data.series, (s) => s.distinctIps, ipsFrom, ipsTo, 'hour')
    : null;
  const name = apiKey?.name ?? 'this key';

  return (
    <>
      {usage.error ? (
        <ErrorBox error={usage.error} retry={usage.reload} title="Usage could not be loaded." />
      ) : null}
      <section aria-labelledby="k-usage-h" class="panel">
        <h2 id="k-usage-h">Usage</h2>
        {u && (
          <ul class="kpis kpis-3">
            <UsageKpis now={u} before={p} />
          </ul>
        )}
        {u ? (
          <>
            <OutcomeChart
              title={`Requests of ${name} by outcome, per ${range.granularity}`}
              series={u.series}
              range={range}
              onZoom={setZoom}
            />
            {zoom && (
              <p>
                <button
                  type="button"
                  class="secondary"
                  onClick={() => setQuery(rangeQuery(zoomedSpec(zoom)), { replace: false })}
                >
                  Show {formatDateTime(zoom.from)} – {formatDateTime(zoom.to)} in finer detail
                </button>
              </p>
            )}
          </>
        ) : (
          !usage.error && <Loading what="Loading usage" />
        )}
      </section>
      <div class="grid-2">
        <section aria-labelledby="k-reasons-h" class="panel">
          <h2 id="k-reasons-h">Failures by reason</h2>
          {u ? <FailureReasons byCode={u.byCode} /> : !usage.error && <Loading />}
        </section>
        <section aria-labelledby="k-ips-h" class="panel">
          <h2 id="k-ips-h">Distinct IPs per hour</h2>
          <p class="muted small">Client IPs are kept for {IPS_KEPT_DAYS} days.</p>
          {ips.error ? (
            <ErrorBox error={ips.error} retry={ips.reload} title="Distinct IPs could not be loaded." />
          ) : ipsAligned ? (
            ipsAligned.t.length > 0 ? (
              <Chart
                title={`Distinct client IPs of ${name} per hour`}
                x={ipsAligned.t}
                series={[{ label: 'Distinct IPs', values: ipsAligned.values, color: COLORS.ips }]}
                granularity="hour"
                height={200}
              />
            ) : (
              <p class="muted">No IP data for this range.</p>
            )
          ) : (
            <Loading />
          )}
        </section>
      </div>
      <CountriesSection countries={countries} subject={name} />
    </>
  );
}

function KeyAlerts({ id, apiKey, nowKey }: { id: string; apiKey: ApiKey | undefined; nowKey: number }) {
  const alerts = useLoad(
    async (signal) =>
      dataOf(await api.GET('/api/alerts', { params: { query: { keyId: id, limit: 50 } }, signal })),
    `${id}/${nowKey}`,
  );
  const [silence, setSilence] = useState<Alert | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <section aria-labelledby="k-alerts-h" class="panel">
      <h2 id="k-alerts-h">Alerts</h2>
      {notice && <Notice kind="success">{notice}</Notice>}
      {alerts.error ? (
        <ErrorBox error={alerts.error} retry={alerts.reload} title="Alerts could not be loaded." />
      ) : !alerts.data ? (
        <Loading what="Loading alerts" />
      ) : alerts.data.alerts.length === 0 ? (
        <p class="muted">No alerts for this key.</p>
      ) : (
        <>
          <div class="alert-list">
            {alerts.data.alerts.map((a) => (
              <AlertCard key={a.id} alert={a} hideKey onSilence={() => setSilence(a)} />
            ))}
          </div>
          <p>
            <Link href={`/alerts?key=${encodeURIComponent(id)}`}>All alerts of this key</Link>
          </p>
        </>
      )}
      {silence && (
        <SilenceDialog
          keyId={silence.keyId}
          keyName={apiKey?.name}
          rule={silence.rule}
          onClose={() => setSilence(null)}
          onDone={() => {
            setSilence(null);
            setNotice('Silenced. Matching alerts are still recorded, but not notified.');
          }}
        />
      )}
    </section>
  );
}

function KeySettings({ apiKey, onSaved }: { apiKey: ApiKey; onSaved: () => void }) {
  const [form, setForm] = useState<KeyForm>(() => keyToForm(apiKey));
  const { errors, setErrors, busy, formRef, submit } = useSubmission([...KEY_FIELDS, ...ALERT_FIELDS]);
  const [saved, setSaved] = useState(false);
  const editable = !apiKey.revokedAt;

  const save = async (e: Event) => {
    e.preventDefault();
    if (form.scopes.length === 0) return setErrors({ scopes: ['Choose at least one scope.'] });
    setSaved(false);
    await submit(async () => {
      const body = keyPatchBody(form) as ApiKeyPatch;
      const updated = dataOf(
        await api.PATCH('/api/api-keys/{id}', { params: { path: { id: apiKey.id } }, body }),
      );
      setForm(keyToForm(updated));
      setSaved(true);
      onSaved();
    });
  };

  return (
    <section aria-labelledby="k-settings-h" class="panel">
      <h2 id="k-settings-h">Settings</h2>
      {!editable ? (
        <p class="muted">A revoked key's settings cannot change.</p>
      ) : (
        <form ref={formRef} onSubmit={save} class="stack form-narrow" noValidate>
          <FormErrors errors={errors[FORM]} />
          <KeyFields
            form={form}
            onChange={(f) => {
              setForm(f);
              setSaved(false);
            }}
            errors={errors}
            mode="edit"
          />
          <div class="actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Saving…' : 'Save settings'}
            </button>
            <button
              type="button"
              class="secondary"
              onClick={() => {
                setForm(keyToForm(apiKey));
                setErrors({});
              }}
            >
              Undo changes
            </button>
          </div>
          {saved && <Notice kind="success">Settings saved.</Notice>}
        </form>
      )}
    </section>
  );
}
