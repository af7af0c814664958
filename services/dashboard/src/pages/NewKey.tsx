/**
 * Create a key with every field of the contract. The API's 400 is shown next to each field it
 * names. On 201 the secret is shown once: it lives in this page's state only, so leaving or
 * reloading the page forgets it.
 */
import type { IssuedApiKey, NewApiKey } from '@keywatch/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, dataOf } from '../api.ts';
import { FormErrors } from '../components/Field.tsx';
import { KeyFields } from '../components/KeyFields.tsx';
import { Link } from '../components/Link.tsx';
import { SecretOnce } from '../components/SecretOnce.tsx';
import { ALERT_FIELDS } from '../data/alert-form.ts';
import { formatDateTime } from '../data/format.ts';
import { emptyKeyForm, KEY_FIELDS, type KeyForm, newKeyBody } from '../data/key-form.ts';
import { FORM } from '../data/problems.ts';
import { useTitle } from '../hooks.ts';
import { useSubmission } from '../submission.ts';

export default function NewKey() {
  useTitle('Create key');
  const [form, setForm] = useState<KeyForm>(emptyKeyForm);
  const { errors, setErrors, busy, formRef, submit: send } = useSubmission([...KEY_FIELDS, ...ALERT_FIELDS]);
  const [issued, setIssued] = useState<IssuedApiKey | null>(null);
  const doneRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (issued) doneRef.current?.focus();
  }, [issued]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (form.scopes.length === 0) return setErrors({ scopes: ['Choose at least one scope.'] });
    await send(async () => {
      // Built from the form as typed; the API validates it and names each problem.
      const body = newKeyBody(form) as NewApiKey;
      setIssued(dataOf(await api.POST('/api/api-keys', { body })));
      setForm(emptyKeyForm());
    });
  };

  if (issued) {
    return (
      <>
        <h1 tabIndex={-1} ref={doneRef}>
          Key created
        </h1>
        <p>
          <strong>{issued.name}</strong> (<span class="mono">{issued.prefix}…</span>, {issued.type}) with
          scopes <span class="mono">{issued.scopes.join(', ')}</span>
          {issued.expiresAt ? `, expiring ${formatDateTime(issued.expiresAt)}` : ''}.
        </p>
        <SecretOnce secret={issued.key} label="The key's secret" />
        <div class="actions">
          <Link href={`/keys/${encodeURIComponent(issued.id)}`} class="button">
            Open the key's page
          </Link>
          <button type="button" class="secondary" onClick={() => setIssued(null)}>
            Create another key
          </button>
          <Link href="/keys">Back to keys</Link>
        </div>
      </>
    );
  }

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>Create key</h1>
        <Link href="/keys">Back to keys</Link>
      </div>
      <form ref={formRef} onSubmit={submit} class="stack form-narrow" noValidate>
        <FormErrors errors={errors[FORM]} />
        <KeyFields form={form} onChange={setForm} errors={errors} mode="create" />
        <div class="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Creating…' : 'Create key'}
          </button>
          <Link href="/keys">Cancel</Link>
        </div>
      </form>
    </>
  );
}
