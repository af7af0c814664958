/**
 * Alerts, firing and resolved, filtered by state, rule, severity and key (in the URL), each with
 * its deliveries per channel and a Silence action; and the silences in force, with Lift.
 */
import type { Alert, Silence } from '@keywatch/client';
import { useEffect, useId, useState } from 'preact/hooks';
import { api, dataOf, errorMessage } from '../api.ts';
import { AlertCard } from '../components/AlertCard.tsx';
import { Link } from '../components/Link.tsx';
import { SilenceDialog } from '../components/SilenceDialog.tsx';
import { ErrorBox, Loading, Notice } from '../components/Status.tsx';
import { type Column, Table } from '../components/Table.tsx';
import {
  filterAlerts,
  isRule,
  isSeverity,
  isState,
  RULE_LABELS,
  RULES,
  SEVERITIES,
  STATES,
} from '../data/alerts.ts';
import { formatDateTime } from '../data/format.ts';
import { useLoad, useNow, useTitle } from '../hooks.ts';
import { type PageProps, setQuery } from '../router.ts';

const PAGE = 100;

export default function Alerts({ loc }: PageProps) {
  useTitle('Alerts');
  const id = useId();
  const q = loc.query;
  const state = isState(q.get('state')) ? (q.get('state') as 'firing' | 'resolved') : undefined;
  const rule = isRule(q.get('rule')) ? (q.get('rule') ?? undefined) : undefined;
  const severity = isSeverity(q.get('severity')) ? (q.get('severity') ?? undefined) : undefined;
  const keyId = q.get('key') || undefined;
  const [now, refresh] = useNow('alerts');
  const serverKey = `${state}/${keyId}/${now.getTime()}`;

  const first = useLoad(
    async (signal) =>
      dataOf(
        await api.GET('/api/alerts', {
          params: { query: { limit: PAGE, ...(state && { state }), ...(keyId && { keyId }) } },
          signal,
        }),
      ),
    serverKey,
  );
  const [more, setMore] = useState<{
    alerts: Alert[];
    cursor: string | null;
    loading: boolean;
    error: unknown;
  }>({
    alerts: [],
    cursor: null,
    loading: false,
    error: null,
  });
  useEffect(() => {
    setMore({ alerts: [], cursor: first.data?.nextCursor ?? null, loading: false, error: null });
  }, [first.data]);

  const keys = useLoad(
    async (signal) => dataOf(await api.GET('/api/api-keys', { signal })).keys,
    `k${now.getTime()}`,
  );
  const silences = useLoad(
    async (signal) => dataOf(await api.GET('/api/silences', { signal })).silences,
    `s${now.getTime()}`,
  );
  const [silenceFor, setSilenceFor] = useState<Alert | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [liftError, setLiftError] = useState<string | null>(null);

  const names = new Map((keys.data ?? []).map((k) => [k.id, k.name]));
  const loadedAlerts = [...(first.data?.alerts ?? []), ...more.alerts];
  const shown = filterAlerts(loadedAlerts, {
    rule: rule as (typeof RULES)[number] | undefined,
    severity: severity as (typeof SEVERITIES)[number] | undefined,
  });

  const loadMore = async () => {
    if (!more.cursor) return;
    setMore((m) => ({ ...m, loading: true, error: null }));
    try {
      const page = dataOf(
        await api.GET('/api/alerts', {
          params: {
            query: { limit: PAGE, cursor: more.cursor, ...(state && { state }), ...(keyId && { keyId }) },
          },
        }),
      );
      setMore((m) => ({
        alerts: [...m.alerts, ...page.alerts],
        cursor: page.nextCursor,
        loading: false,
        error: null,
      }));
    } catch (error) {
      setMore((m) => ({ ...m, loading: false, error }));
    }
  };

  const lift = async (s: Silence) => {
    setLiftError(null);
    try {
      dataOf(await api.DELETE('/api/silences/{id}', { params: { path: { id: s.id } } }));
      setNotice('Silence lifted.');
      silences.reload();
    } catch (err) {
      setLiftError(errorMessage(err));
    }
  };

  const inForce = (silences.data ?? []).filter((s) => Date.parse(s.until) > now.getTime());
  const silenceColumns: Column<Silence>[] = [
    {
      id: 'key',
      label: 'Key',
      rowHeader: true,
      render: (s) =>
        s.keyId ? (
          <Link href={`/keys/${encodeURIComponent(s.keyId)}`}>{names.get(s.keyId) ?? s.keyId}</Link>
        ) : (
          'All keys'
        ),
    },
    { id: 'rule', label: 'Rule', render: (s) => (s.rule ? RULE_LABELS[s.rule] : 'All rules') },
    { id: 'until', label: 'Until', render: (s) => formatDateTime(s.until) },
    { id: 'reason', label: 'Reason', render: (s) => <span class="wrap">{s.reason}</span> },
    { id: 'created', label: 'Created', render: (s) => formatDateTime(s.createdAt) },
    {
      id: 'lift',
      label: <span class="visually-hidden">Actions</span>,
      render: (s) => (
        <button type="button" class="small secondary" onClick={() => lift(s)}>
          Lift
          <span class="visually-hidden">
            {' '}
            silence of {s.keyId ? (names.get(s.keyId) ?? 'key') : 'all keys'}
          </span>
        </button>
      ),
    },
  ];

  const set = (patch: Record<string, string | undefined>) => setQuery(patch);
  const sortedKeys = [...(keys.data ?? [])].sort((a, b) => a.name.localeCompare(b.name));

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>Alerts</h1>
        <button type="button" class="secondary" onClick={refresh}>
          Refresh
        </button>
      </div>
      {notice && <Notice kind="success">{notice}</Notice>}

      <form class="filters" aria-label="Filter alerts" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for={`${id}-state`}>State</label>
          <select
            id={`${id}-state`}
            value={state ?? ''}
            onChange={(e) => set({ state: e.currentTarget.value })}
          >
            <option value="">Any</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${id}-rule`}>Rule</label>
          <select id={`${id}-rule`} value={rule ?? ''} onChange={(e) => set({ rule: e.currentTarget.value })}>
            <option value="">Any</option>
            {RULES.map((r) => (
              <option key={r} value={r}>
                {RULE_LABELS[r]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${id}-sev`}>Severity</label>
          <select
            id={`${id}-sev`}
            value={severity ?? ''}
            onChange={(e) => set({ severity: e.currentTarget.value })}
          >
            <option value="">Any</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${id}-key`}>Key</label>
          <select id={`${id}-key`} value={keyId ?? ''} onChange={(e) => set({ key: e.currentTarget.value })}>
            <option value="">Any</option>
            {keyId && !names.has(keyId) && <option value={keyId}>{keyId}</option>}
            {sortedKeys.map((k) => (
              <option key={k.id} value={k.id}>
                {k.name} ({k.prefix})
              </option>
            ))}
          </select>
        </div>
        {(state || rule || severity || keyId) && (
          <button
            type="button"
            class="secondary"
            onClick={() => set({ state: undefined, rule: undefined, severity: undefined, key: undefined })}
          >
            Clear filters
          </button>
        )}
      </form>

      <section aria-labelledby="alerts-h">
        <h2 id="alerts-h">
          {state === 'firing' ? 'Firing alerts' : state === 'resolved' ? 'Resolved alerts' : 'Alerts'}
        </h2>
        {first.error ? (
          <ErrorBox error={first.error} retry={first.reload} title="Alerts could not be loaded." />
        ) : !first.data ? (
          <Loading what="Loading alerts" />
        ) : (
          <>
            <p class="muted" role="status">
              {shown.length === 0
                ? 'No alerts match.'
                : `${shown.length} alert${shown.length === 1 ? '' : 's'} shown`}
              {(rule || severity) && loadedAlerts.length !== shown.length
                ? ` (of ${loadedAlerts.length} loaded)`
                : ''}
              {more.cursor ? '; more are older.' : '.'}
            </p>
            <div class="alert-list">
              {shown.map((a) => (
                <AlertCard
                  key={a.id}
                  alert={a}
                  keyName={a.keyId ? names.get(a.keyId) : undefined}
                  onSilence={() => setSilenceFor(a)}
                />
              ))}
            </div>
            {more.error ? <ErrorBox error={more.error} retry={loadMore} /> : null}
            {more.cursor && (
              <button type="button" class="secondary" onClick={loadMore} disabled={more.loading}>
                {more.loading ? 'Loading…' : 'Load older alerts'}
              </button>
            )}
          </>
        )}
      </section>

      <section aria-labelledby="silences-h" class="panel">
        <h2 id="silences-h">Silences in force</h2>
        {liftError && <ErrorBox error={new Error(liftError)} title="The silence could not be lifted." />}
        {silences.error ? (
          <ErrorBox error={silences.error} retry={silences.reload} title="Silences could not be loaded." />
        ) : !silences.data ? (
          <Loading what="Loading silences" />
        ) : (
          <Table
            caption="Silences in force: matching alerts are recorded but not notified until then"
            captionHidden
            label="Silences in force"
            columns={silenceColumns}
            rows={inForce}
            rowKey={(s) => s.id}
            empty="No silences in force."
          />
        )}
      </section>

      {silenceFor && (
        <SilenceDialog
          keyId={silenceFor.keyId}
          keyName={silenceFor.keyId ? names.get(silenceFor.keyId) : undefined}
          rule={silenceFor.rule}
          onClose={() => setSilenceFor(null)}
          onDone={() => {
            setSilenceFor(null);
            setNotice('Silenced. Matching alerts are still recorded, but not notified.');
            silences.reload();
          }}
        />
      )}
    </>
  );
}
