/** Keys due for rotation (the scan's flag), oldest first, each with a rotate action. */
import type { ApiKey } from '@keywatch/client';
import { useState } from 'preact/hooks';
import { api, dataOf } from '../api.ts';
import { RotateDialog } from '../components/KeyActions.tsx';
import { Link } from '../components/Link.tsx';
import { ErrorBox, Loading } from '../components/Status.tsx';
import { type Column, Table } from '../components/Table.tsx';
import { ageInDays, formatDate, formatDateTime, formatNumber, formatRelative } from '../data/format.ts';
import { useLoad, useNow, useTitle } from '../hooks.ts';
import type { PageProps } from '../router.ts';

export default function Rotation(_props: PageProps) {
  useTitle('Rotation');
  const [now, refresh] = useNow('rotation');
  const due = useLoad(
    async (signal) =>
      dataOf(await api.GET('/api/api-keys', { params: { query: { rotationDue: 'true' } }, signal })).keys,
    `${now.getTime()}`,
  );
  const [rotating, setRotating] = useState<ApiKey | null>(null);

  const columns: Column<ApiKey>[] = [
    {
      id: 'name',
      label: 'Key',
      rowHeader: true,
      render: (k) => <Link href={`/keys/${encodeURIComponent(k.id)}`}>{k.name}</Link>,
    },
    { id: 'prefix', label: 'Prefix', render: (k) => <span class="mono">{k.prefix}</span> },
    { id: 'owner', label: 'Owner', render: (k) => k.ownerEmail ?? '—' },
    {
      id: 'age',
      label: 'Age',
      numeric: true,
      render: (k) => (
        <span title={`Created ${formatDate(k.createdAt)}`}>
          {formatNumber(ageInDays(k.createdAt, now))} d
        </span>
      ),
    },
    { id: 'due', label: 'Due since', render: (k) => formatDateTime(k.rotationDueAt) },
    { id: 'used', label: 'Last used', render: (k) => formatRelative(k.lastUsedAt, now) },
    {
      id: 'rotate',
      label: <span class="visually-hidden">Actions</span>,
      render: (k) => (
        <button type="button" class="small" onClick={() => setRotating(k)}>
          Rotate<span class="visually-hidden"> {k.name}</span>
        </button>
      ),
    },
  ];

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>Rotation</h1>
        <button type="button" class="secondary" onClick={refresh}>
          Refresh
        </button>
      </div>
      <p>
        Keys that the rotation scan flagged as due (live keys past their rotation date), oldest first.
        Rotating issues a successor with the same settings; the old key keeps working for the grace period you
        choose.
      </p>
      {due.error ? (
        <ErrorBox error={due.error} retry={due.reload} title="The keys due could not be loaded." />
      ) : !due.data ? (
        <Loading what="Loading the keys due" />
      ) : (
        <>
          <p class="muted" role="status">
            {due.data.length === 0
              ? 'No key is due for rotation.'
              : `${formatNumber(due.data.length)} keys due.`}
          </p>
          <Table
            caption="Keys due for rotation, oldest first"
            captionHidden
            label="Keys due for rotation"
            columns={columns}
            rows={due.data}
            rowKey={(k) => k.id}
            empty="No key is due for rotation."
          />
        </>
      )}
      {rotating && (
        <RotateDialog
          apiKey={rotating}
          onClose={(rotated) => {
            setRotating(null);
            if (rotated) due.reload();
          }}
        />
      )}
    </>
  );
}
