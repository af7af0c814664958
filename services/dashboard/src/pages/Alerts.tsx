/**
 * Alerts, firing and resolved, filtered by state, rule, severity and key (in the URL), each with
 * its deliveries per channel and a Silence action; and the silences in force, with Lift.
 */
import type { Alert, Silence } from '@keywatch/client';
import { useEffect, useState } from 'preact/hooks';
import { api, dataOf, errorMessage } from '../api.ts';
import { AlertCard } from '../components/AlertCard.tsx';
import { Link } from '../components/Link.tsx';
import { SelectField } from '../components/Field.tsx';
import { SilenceDialog } from '../components/SilenceDialog.tsx';
import { ErrorBox, Loading, Notice } from '../components/Status.tsx';
import { type Column, Table } from '../components/Table.tsx';
import { ALERT_STATES, RULE_NAMES, SEVERITIES } from '@keywatch/rules';
import { isRule, isSeverity, isState, RULE_LABELS } from '../data/alerts.ts';
import { formatDateTime } from '../data/format.ts';
import { useLoad, useNow, useTitle } from '../hooks.ts';
import { type PageProps, setQuery } from '../router.ts';

const PAGE = 100;
const known = <T extends string>(value: string | null, is: (v: string | null) => v is T) =>
  is(value) ? value : undefined;

/** The filters' first choice: no filter. */
const any = { value: '', label: 'Any' } as const;

export default function Alerts({ loc }: PageProps) {
  useTitle('Alerts');
  const q = loc.query;
  // The filters the server applies; a value it would refuse (a typo in the URL) is left out.
  const state = known(q.get('state'), isState);
  const rule = known(q.get('rule'), isRule);
  const severity = known(q.get('severity'), isSeverity);
  const keyId = q.get('key') || undefined;
  const [now, refresh] = useNow('alerts');
  const pageOf = async (cursor: string | undefined, signal?: AbortSignal) =>
    dataOf(
      await api.GET('/api/alerts', {
        params: {
          query: {
            limit: PAGE,
            ...(cursor && { cursor }),
            ...(state && { state }),
            ...(rule && { rule }),
            ...(severity && { severity }),
            ...(keyId && { keyId }),
          },
        },
        signal,
      }),
    );
  const first = useLoad(
    (signal) => pageOf(undefined, signal),
    `${state}/${rule}/${severity}/${keyId}/${now.getTime()}`,
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
  const shown = [...(first.data?.alerts ?? []), ...more.alerts];

  const loadMore = async () => {
    if (!more.cursor) return;
    setMore((m) => ({ ...m, loading: true, error: null }));
    try {
      const page = await pageOf(more.cursor);
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
        <SelectField
          label="State"
          value={state ?? ''}
          onValue={(v) => set({ state: v || undefined })}
          options={[any, ...ALERT_STATES.map((s) => ({ value: s, label: s }))]}
        />
        <SelectField
          label="Rule"
          value={rule ?? ''}
          onValue={(v) => set({ rule: v || undefined })}
          options={[any, ...RULE_NAMES.map((r) => ({ value: r, label: RULE_LABELS[r] }))]}
        />
        <SelectField
          label="Severity"
          value={severity ?? ''}
          onValue={(v) => set({ severity: v || undefined })}
          options={[any, ...SEVERITIES.map((s) => ({ value: s, label: s }))]}
        />
        <SelectField
          label="Key"
          value={keyId ?? ''}
          onValue={(v) => set({ key: v || undefined })}
          options={[
            any,
            ...(keyId && !names.has(keyId) ? [{ value: keyId, label: keyId }] : []),
            ...sortedKeys.map((k) => ({ value: k.id, label: `${k.name} (${k.prefix})` })),
          ]}
        />
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
