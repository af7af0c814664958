/** Revoking a key (after a confirmation) and rotating it with a grace period (the successor's secret shown once). */
import type { IssuedApiKey } from '@keywatch/client';
import { useId, useState } from 'preact/hooks';
import { api, dataOf, errorMessage } from '../api.ts';
import { GRACE_PERIODS, isGracePeriod } from '../data/alerts.ts';
import { FORM } from '../data/problems.ts';
import { Dialog } from './Dialog.tsx';
import { FormErrors, SelectField, TextField } from './Field.tsx';
import { Link } from './Link.tsx';
import { SecretOnce } from './SecretOnce.tsx';
import { useSubmission } from '../submission.ts';

interface KeyRef {
  id: string;
  name: string;
  prefix: string;
}

export function RevokeDialog({
  apiKey,
  onClose,
  onDone,
}: {
  apiKey: KeyRef;
  onClose: () => void;
  onDone: () => void;
}) {
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const revoke = async () => {
    setBusy(true);
    setError(null);
    try {
      dataOf(await api.DELETE('/api/api-keys/{id}', { params: { path: { id: apiKey.id } } }));
      onDone();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title="Revoke this key?" onClose={onClose} describedBy={`${id}-what`}>
      <p id={`${id}-what`}>
        <strong>{apiKey.name}</strong> (<span class="mono">{apiKey.prefix}…</span>) will fail verification
        everywhere within a second. This cannot be undone.
      </p>
      <FormErrors errors={error ? [error] : undefined} />
      <div class="actions">
        <button type="button" class="danger" onClick={revoke} disabled={busy}>
          {busy ? 'Revoking…' : 'Revoke key'}
        </button>
        <button type="button" class="secondary" onClick={onClose} autofocus>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}

/**
 * Rotation: a new key with the same settings; the old one keeps working for the grace period.
 * The successor's secret is shown once, here; closing the dialog forgets it. (The list behind is
 * refreshed only on close: if this was the session's own key, the next call signs out.)
 */
export function RotateDialog({
  apiKey,
  onClose,
  onRotated,
}: {
  apiKey: KeyRef;
  onClose: (rotated: boolean) => void;
  onRotated?: (successor: IssuedApiKey) => void;
}) {
  const [grace, setGrace] = useState('24h');
  const [custom, setCustom] = useState('');
  const { errors, setErrors, busy, formRef, submit } = useSubmission(['gracePeriod']);
  const [successor, setSuccessor] = useState<IssuedApiKey | null>(null);

  const rotate = async (e: Event) => {
    e.preventDefault();
    const gracePeriod = grace === 'custom' ? custom.trim() : grace;
    if (!isGracePeriod(gracePeriod)) {
      return setErrors({
        gracePeriod: ['Write a number and a unit: s, m, h or d (e.g. 12h, 3d); at most 30 days.'],
      });
    }
    await submit(async () => {
      const issued = dataOf(
        await api.POST('/api/api-keys/{id}/rotate', {
          params: { path: { id: apiKey.id } },
          body: { gracePeriod },
        }),
      );
      setSuccessor(issued);
      onRotated?.(issued);
    });
  };

  if (successor) {
    return (
      <Dialog title="Key rotated" onClose={() => onClose(true)} wide>
        <p>
          <strong>{successor.name}</strong> has a successor (<span class="mono">{successor.prefix}…</span>)
          with the same settings. Put the new secret where the old one is used; the old key stops at the end
          of the grace period.
        </p>
        <SecretOnce secret={successor.key} label="The new key's secret" />
        <div class="actions">
          <Link href={`/keys/${encodeURIComponent(successor.id)}`} class="button secondary">
            Open the new key
          </Link>
          <button type="button" onClick={() => onClose(true)}>
            I have copied it — close
          </button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog title="Rotate this key?" onClose={() => onClose(false)}>
      <form ref={formRef} onSubmit={rotate} class="stack" noValidate>
        <p>
          Issues a new key for <strong>{apiKey.name}</strong> (<span class="mono">{apiKey.prefix}…</span>)
          with the same settings. Its secret is shown once.
        </p>
        <FormErrors errors={errors[FORM]} />
        <SelectField
          label="Grace period: the old key keeps working for"
          value={grace}
          onValue={setGrace}
          options={[
            ...GRACE_PERIODS.map((g) => ({ value: g.value as string, label: g.label })),
            { value: 'custom', label: 'Other…' },
          ]}
          errors={grace === 'custom' ? undefined : errors.gracePeriod}
        />
        {grace === 'custom' && (
          <TextField
            label="Other grace period"
            hint="A number and a unit: s, m, h or d (e.g. 12h, 3d); at most 30 days"
            value={custom}
            onValue={setCustom}
            errors={errors.gracePeriod}
            required
            pattern="\d{1,6}[smhd]"
          />
        )}
        <div class="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Rotating…' : 'Rotate key'}
          </button>
          <button type="button" class="secondary" onClick={() => onClose(false)}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The Rotate and Revoke buttons of a key, with their dialogs. */
export function KeyActions({
  apiKey,
  status,
  onChanged,
}: {
  apiKey: KeyRef;
  status: 'active' | 'revoked' | 'expired' | 'rotated';
  onChanged: () => void;
}) {
  const [open, setOpen] = useState<'rotate' | 'revoke' | null>(null);
  if (status === 'revoked' || status === 'expired') return null;
  return (
    <div class="row-actions">
      {status === 'active' && (
        <button type="button" class="secondary" onClick={() => setOpen('rotate')}>
          Rotate…
        </button>
      )}
      <button type="button" class="danger-outline" onClick={() => setOpen('revoke')}>
        Revoke…
      </button>
      {open === 'revoke' && (
        <RevokeDialog
          apiKey={apiKey}
          onClose={() => setOpen(null)}
          onDone={() => {
            setOpen(null);
            onChanged();
          }}
        />
      )}
      {open === 'rotate' && (
        <RotateDialog
          apiKey={apiKey}
          onClose={(rotated) => {
            setOpen(null);
            if (rotated) onChanged();
          }}
        />
      )}
    </div>
  );
}
