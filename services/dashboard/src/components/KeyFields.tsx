/** The fields of a key: for a new key (all of them) and for a key's settings (what PATCH changes). */
import { useId } from 'preact/hooks';
import type { KeyForm, RatePeriod } from '../data/key-form.ts';
import { KEY_TYPES, SCOPES } from '../data/keys.ts';
import { AlertSettingsFields } from './AlertSettingsFields.tsx';
import { FieldErrors, SelectField, TextArea, TextField } from './Field.tsx';

type Errors = Record<string, string[] | undefined>;

const SCOPE_HINTS: Record<string, string> = { admin: 'grants every scope, and managing keys' };
const TYPE_LABELS = { organization: 'Organization', personal: 'Personal (has an owner)', scoped: 'Scoped' };
const RATE_PERIODS: { value: RatePeriod; label: string }[] = [
  { value: 'second', label: 'per second' },
  { value: 'minute', label: 'per minute' },
  { value: 'hour', label: 'per hour' },
];

export function ScopesField({
  value,
  onChange,
  errors,
}: {
  value: readonly string[];
  onChange: (scopes: string[]) => void;
  errors: readonly string[] | undefined;
}) {
  const id = useId();
  const toggle = (scope: string, on: boolean) =>
    onChange(on ? SCOPES.filter((s) => s === scope || value.includes(s)) : value.filter((s) => s !== scope));
  return (
    <fieldset
      class="scopes"
      aria-describedby={errors?.length ? `${id}-errors` : undefined}
      aria-invalid={errors?.length ? true : undefined}
    >
      <legend>Scopes (at least one)</legend>
      <div class="checks">
        {SCOPES.map((s) => (
          <div class="field field-check" key={s}>
            <input
              id={`${id}-${s}`}
              type="checkbox"
              checked={value.includes(s)}
              onChange={(e) => toggle(s, e.currentTarget.checked)}
            />
            <label for={`${id}-${s}`}>
              <span class="mono">{s}</span>
              {SCOPE_HINTS[s] && <span class="muted"> — {SCOPE_HINTS[s]}</span>}
            </label>
          </div>
        ))}
      </div>
      <FieldErrors id={`${id}-errors`} errors={errors} />
    </fieldset>
  );
}

interface Props {
  form: KeyForm;
  onChange: (form: KeyForm) => void;
  errors: Errors;
  mode: 'create' | 'edit';
}

export function KeyFields({ form, onChange, errors, mode }: Props) {
  const set = (patch: Partial<KeyForm>) => onChange({ ...form, ...patch });
  return (
    <>
      <TextField
        label="Name"
        hint="What uses the key, e.g. billing-service"
        value={form.name}
        onValue={(name) => set({ name })}
        errors={errors.name}
        required
        maxLength={200}
        autocomplete="off"
      />
      <ScopesField value={form.scopes} onChange={(scopes) => set({ scopes })} errors={errors.scopes} />
      {mode === 'create' && (
        <>
          <SelectField
            label="Type"
            value={form.type}
            onValue={(type) => set({ type })}
            options={KEY_TYPES.map((t) => ({ value: t, label: TYPE_LABELS[t] }))}
            errors={errors.type}
          />
          <TextField
            label="Owner's email"
            hint={form.type === 'personal' ? 'Required for a personal key' : 'For personal keys'}
            type="email"
            value={form.ownerEmail}
            onValue={(ownerEmail) => set({ ownerEmail })}
            errors={errors.ownerEmail}
            required={form.type === 'personal'}
            autocomplete="off"
          />
          <TextField
            label="Expires on"
            hint="Optional; the key stops working at the start of this day (UTC)"
            type="date"
            value={form.expiresAt}
            onValue={(expiresAt) => set({ expiresAt })}
            errors={errors.expiresAt}
          />
        </>
      )}
      <TextArea
        label="IP allowlist"
        hint="One CIDR or address per line, e.g. 203.0.113.0/24. Empty: from anywhere."
        rows={3}
        class="mono-input"
        value={form.ipAllowlist}
        onValue={(ipAllowlist) => set({ ipAllowlist })}
        errors={errors.ipAllowlist}
        spellcheck={false}
      />
      <fieldset>
        <legend>Rate limit</legend>
        <p class="hint">Empty: the default, 100 per minute.</p>
        <div class="field-row">
          <TextField
            label="Requests"
            type="number"
            min={1}
            inputMode="numeric"
            value={form.rateLimit}
            onValue={(rateLimit) => set({ rateLimit })}
            errors={[...(errors['rateLimit.limit'] ?? []), ...(errors.rateLimit ?? [])]}
          />
          <SelectField
            label="Per"
            value={form.ratePeriod}
            onValue={(ratePeriod) => set({ ratePeriod })}
            options={RATE_PERIODS}
            errors={errors['rateLimit.period']}
          />
        </div>
      </fieldset>
      <fieldset class="alerts-group">
        <legend>Alerts</legend>
        <AlertSettingsFields value={form.alerts} onChange={(alerts) => set({ alerts })} errors={errors} />
      </fieldset>
    </>
  );
}
