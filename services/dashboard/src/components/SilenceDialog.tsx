/** "Silence" from an alert: its key and rule (or its rule org-wide), until when, and why. */
import { useState } from 'preact/hooks';
import { api, dataOf } from '../api.ts';
import type { RuleName } from '@keywatch/rules';
import { RULE_LABELS, SILENCE_PRESETS, type SilencePreset, silenceUntil } from '../data/alerts.ts';
import { FORM } from '../data/problems.ts';
import { fromLocalInput } from '../data/range.ts';
import { Dialog } from './Dialog.tsx';
import { FormErrors, SelectField, TextArea, TextField } from './Field.tsx';
import { useSubmission } from '../submission.ts';

const PRESET_LABELS: Record<SilencePreset, string> = {
  '1h': 'For 1 hour',
  '24h': 'For 24 hours',
  '7d': 'For 7 days',
  custom: 'Until a time…',
};

interface Props {
  keyId: string | null;
  keyName?: string | undefined;
  rule: RuleName;
  onClose: () => void;
  onDone: () => void;
}

export function SilenceDialog({ keyId, keyName, rule, onClose, onDone }: Props) {
  const [preset, setPreset] = useState<SilencePreset>('24h');
  const [custom, setCustom] = useState('');
  const [reason, setReason] = useState('');
  const {
    errors,
    setErrors,
    busy,
    formRef,
    submit: send,
  } = useSubmission(['keyId', 'rule', 'until', 'reason']);

  const submit = async (e: Event) => {
    e.preventDefault();
    const until = silenceUntil(preset, new Date(), fromLocalInput(custom));
    if (!until) return setErrors({ until: ['Enter when the silence ends.'] });
    await send(async () => {
      dataOf(
        await api.POST('/api/silences', {
          body: { ...(keyId && { keyId }), rule, until: until.toISOString(), reason: reason.trim() },
        }),
      );
      onDone();
    });
  };

  const what = keyId
    ? `${RULE_LABELS[rule]} alerts of ${keyName ?? 'this key'}`
    : `${RULE_LABELS[rule]} alerts, org-wide`;
  return (
    <Dialog title="Silence alerts" onClose={onClose}>
      <form ref={formRef} onSubmit={submit} class="stack" noValidate>
        <p>
          Mute <strong>{what}</strong>: they are still recorded, but not notified, until the silence ends.
        </p>
        <FormErrors errors={[...(errors[FORM] ?? []), ...(errors.keyId ?? []), ...(errors.rule ?? [])]} />
        <SelectField
          label="How long"
          value={preset}
          onValue={setPreset}
          options={SILENCE_PRESETS.map((p) => ({ value: p, label: PRESET_LABELS[p] }))}
          errors={preset === 'custom' ? undefined : errors.until}
        />
        {preset === 'custom' && (
          <TextField
            label="Until"
            hint="At most 90 days ahead (your local time)"
            type="datetime-local"
            value={custom}
            onValue={setCustom}
            errors={errors.until}
            required
          />
        )}
        <TextArea
          label="Reason"
          hint="Shown with the silence, e.g. “load test until Friday”"
          rows={2}
          maxLength={500}
          value={reason}
          onValue={setReason}
          errors={errors.reason}
          required
        />
        <div class="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Silencing…' : 'Silence'}
          </button>
          <button type="button" class="secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
