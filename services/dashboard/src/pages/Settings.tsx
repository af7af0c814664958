/**
 * The org's alert settings (defaults every key falls back to, field by field) and channels, with
 * the preview of what the settings in the form would have fired last week, and the webhook
 * signing secret (created or rotated, shown once).
 */
import type { components, PreviewedAlert } from '@keywatch/client';
import { useState } from 'preact/hooks';
import { api, dataOf } from '../api.ts';
import { AlertPreview } from '../components/AlertPreview.tsx';
import { AlertSettingsFields } from '../components/AlertSettingsFields.tsx';
import { Dialog } from '../components/Dialog.tsx';
import { FormErrors } from '../components/Field.tsx';
import { SecretOnce } from '../components/SecretOnce.tsx';
import { ErrorBox, Loading, Notice } from '../components/Status.tsx';
import {
  ALERT_FIELDS,
  type AlertSettings,
  type AlertsForm,
  alertsToForm,
  formToAlerts,
} from '../data/alert-form.ts';
import { lastWeek, previewedSettings } from '../data/alert-preview.ts';
import { FORM } from '../data/problems.ts';
import { useLoad, useTitle } from '../hooks.ts';
import type { PageProps } from '../router.ts';
import { useSubmission } from '../submission.ts';

export default function Settings(_props: PageProps) {
  useTitle('Settings');
  const settings = useLoad(
    async (signal) => dataOf(await api.GET('/api/alert-settings', { signal })),
    'settings',
  );
  return (
    <>
      <h1 tabIndex={-1}>Settings</h1>
      <section aria-labelledby="s-alerts-h" class="panel">
        <h2 id="s-alerts-h">Alert settings of the org</h2>
        <p>The defaults of every key: a key's own settings override them field by field.</p>
        {settings.error ? (
          <ErrorBox
            error={settings.error}
            retry={settings.reload}
            title="The settings could not be loaded."
          />
        ) : !settings.data ? (
          <Loading what="Loading settings" />
        ) : (
          <OrgAlertsForm initial={settings.data.alerts as AlertSettings | null} onSaved={settings.reload} />
        )}
      </section>
      <WebhookSecret />
    </>
  );
}

function OrgAlertsForm({ initial, onSaved }: { initial: AlertSettings | null; onSaved: () => void }) {
  const [form, setForm] = useState<AlertsForm>(() => alertsToForm(initial));
  const { errors, busy, formRef, submit } = useSubmission(ALERT_FIELDS);
  const [saved, setSaved] = useState<string | null>(null);
  const [confirmClear, setConfirmClear] = useState(false);
  /** What the form's request is doing, for its button's words. */
  const [doing, setDoing] = useState<'save' | 'preview' | null>(null);
  /** The last preview's alerts, and the settings (as sent) they answer. */
  const [preview, setPreview] = useState<{ alerts: PreviewedAlert[]; of: string } | null>(null);
  const current = JSON.stringify(previewedSettings(formToAlerts(form, true)));

  const send = async (what: 'save' | 'preview', request: () => Promise<void>) => {
    setDoing(what);
    await submit(request);
    setDoing(null);
  };

  const put = (alerts: AlertSettings | null, done: string) => {
    setSaved(null);
    return send('save', async () => {
      const body = { alerts } as components['schemas']['OrgAlertSettingsInput'];
      const answer = dataOf(await api.PUT('/api/alert-settings', { body }));
      setForm(alertsToForm(answer.alerts as AlertSettings | null));
      setSaved(done);
      onSaved();
    });
  };

  // What the settings in the form would have fired last week; a refusal names the form's fields.
  const runPreview = () =>
    send('preview', async () => {
      const alerts = previewedSettings(formToAlerts(form, true));
      const body = { alerts, ...lastWeek(new Date()) } as components['schemas']['AlertPreviewRequest'];
      const answer = dataOf(await api.POST('/api/alerts/preview', { body }));
      setPreview({ alerts: answer.alerts, of: JSON.stringify(alerts) });
    });

  return (
    <>
      <form
        ref={formRef}
        class="stack form-narrow"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          put(formToAlerts(form, true), 'Settings saved.');
        }}
      >
        <FormErrors errors={errors[FORM]} />
        <AlertSettingsFields
          value={form}
          onChange={(f) => {
            setForm(f);
            setSaved(null);
          }}
          errors={errors}
          org
        />
        <div class="actions">
          <button type="submit" disabled={busy}>
            {doing === 'save' ? 'Saving…' : 'Save settings'}
          </button>
          <button type="button" class="secondary" onClick={runPreview} disabled={busy}>
            {doing === 'preview' ? 'Previewing…' : 'Preview last week'}
          </button>
          <button type="button" class="secondary" onClick={() => setConfirmClear(true)} disabled={busy}>
            Use the installation defaults
          </button>
        </div>
        {saved && <Notice kind="success">{saved}</Notice>}
        {confirmClear && (
          <Dialog title="Clear the org's settings?" onClose={() => setConfirmClear(false)}>
            <p>
              The org's alert settings and channels are removed; keys without their own settings use the
              installation's.
            </p>
            <div class="actions">
              <button
                type="button"
                class="danger"
                onClick={() => {
                  setConfirmClear(false);
                  put(null, 'The org now uses the installation defaults.');
                }}
              >
                Clear settings
              </button>
              <button type="button" class="secondary" onClick={() => setConfirmClear(false)} autofocus>
                Cancel
              </button>
            </div>
          </Dialog>
        )}
      </form>
      <section aria-labelledby="s-preview-h" class="panel stack">
        <h3 id="s-preview-h">Preview: what these settings would have fired last week</h3>
        {preview ? (
          <AlertPreview alerts={preview.alerts} stale={preview.of !== current} />
        ) : (
          <p class="muted">
            Replays last week's stored usage through the settings in the form, saved or not: nothing is
            recorded or sent.
          </p>
        )}
      </section>
    </>
  );
}

function WebhookSecret() {
  const [confirm, setConfirm] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const create = async () => {
    setConfirm(false);
    setBusy(true);
    setError(null);
    try {
      setSecret(dataOf(await api.POST('/api/webhook-secret', {})).secret);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="s-webhook-h" class="panel">
      <h2 id="s-webhook-h">Webhook signing secret</h2>
      <p>
        Webhooks are signed with HMAC-SHA256 (<span class="mono">X-Keywatch-Signature</span>). Creating a
        secret when one exists rotates it: the previous one keeps signing too for 24 hours, so receivers can
        switch over.
      </p>
      {error ? <ErrorBox error={error} title="The secret could not be created." /> : null}
      {secret ? (
        <>
          <SecretOnce secret={secret} label="The webhook signing secret" />
          <button type="button" class="secondary" onClick={() => setSecret(null)}>
            I have copied it — hide
          </button>
        </>
      ) : (
        <button type="button" onClick={() => setConfirm(true)} disabled={busy}>
          {busy ? 'Creating…' : 'Create or rotate the secret…'}
        </button>
      )}
      {confirm && (
        <Dialog title="Create or rotate the webhook secret?" onClose={() => setConfirm(false)}>
          <p>
            A new secret is made and shown once. If there is one already, it keeps signing alongside the new
            one for 24 hours, then stops.
          </p>
          <div class="actions">
            <button type="button" onClick={create}>
              Create secret
            </button>
            <button type="button" class="secondary" onClick={() => setConfirm(false)} autofocus>
              Cancel
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
