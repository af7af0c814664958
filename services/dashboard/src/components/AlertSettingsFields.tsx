/**
 * The alert settings (`alerts`) as form fields: unusual activity, high usage, failures and where
 * notifications go. Used for a new key, a key's settings and the org's defaults.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { AlertsForm, DestinationsForm, Period } from '../data/alert-form.ts';
import { CheckboxField, SelectField, TextArea, TextField } from './Field.tsx';

type Errors = Record<string, string[] | undefined>;

interface Props {
  value: AlertsForm;
  onChange: (value: AlertsForm) => void;
  errors: Errors;
  /** The org's own settings: inherit from the installation, and the security team's channels. */
  org?: boolean;
}

const PERIODS: { value: Period; label: string }[] = [
  { value: 'hourly', label: 'Per hour (UTC)' },
  { value: 'daily', label: 'Per day (UTC)' },
];

function Destinations({
  value,
  onChange,
  errors,
  prefix,
}: {
  value: DestinationsForm;
  onChange: (v: DestinationsForm) => void;
  errors: Errors;
  prefix: string;
}) {
  return (
    <>
      <TextField
        label="Slack channel"
        hint="e.g. #security"
        value={value.slack}
        onValue={(slack) => onChange({ ...value, slack })}
        errors={errors[`${prefix}.slack`]}
        autocomplete="off"
      />
      <TextArea
        label="Email addresses"
        hint="One per line (at most 10)"
        rows={2}
        value={value.email}
        onValue={(email) => onChange({ ...value, email })}
        errors={errors[`${prefix}.email`]}
      />
      <TextField
        label="Webhook URL"
        hint="https://… receives signed JSON"
        type="url"
        value={value.webhook}
        onValue={(webhook) => onChange({ ...value, webhook })}
        errors={errors[`${prefix}.webhook`]}
        autocomplete="off"
      />
    </>
  );
}

/** Options folded away, unfolded when one of them is in error (so the message is seen and focusable). */
function More({
  summary,
  invalid,
  children,
}: {
  summary: string;
  invalid: boolean;
  children: ComponentChildren;
}) {
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    if (invalid && ref.current) ref.current.open = true;
  }, [invalid]);
  return (
    <details class="more" ref={ref}>
      <summary>{summary}</summary>
      {children}
    </details>
  );
}

const has = (errors: Errors, ...fields: string[]) => fields.some((f) => (errors[f]?.length ?? 0) > 0);

export function AlertSettingsFields({ value, onChange, errors, org }: Props) {
  const set = (patch: Partial<AlertsForm>) => onChange({ ...value, ...patch });
  const inherit = org ? 'Installation default' : 'The org’s setting';
  return (
    <div class="alert-fields">
      {(errors.alerts?.length ?? 0) > 0 && (
        <ul class="field-errors">
          {errors.alerts?.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
      <fieldset>
        <legend>Unusual activity (against the key’s own habits)</legend>
        <SelectField
          label="Alert on unusual activity"
          value={value.unusualActivity}
          onValue={(unusualActivity) => set({ unusualActivity })}
          options={[
            { value: '', label: inherit },
            { value: 'on', label: 'On' },
            { value: 'off', label: 'Off' },
          ]}
          errors={errors['alerts.unusualActivity']}
        />
        <TextField
          label="Learning days"
          hint="Days after a key’s creation before its signals fire; 0: the first country seen is the baseline. Empty: the default (7)."
          type="number"
          min={0}
          max={365}
          inputMode="numeric"
          value={value.learningDays}
          onValue={(learningDays) => set({ learningDays })}
          errors={errors['alerts.unusualActivity.learningDays']}
        />
        <SelectField
          label="Sensitivity"
          value={value.sensitivity}
          onValue={(sensitivity) => set({ sensitivity })}
          options={[
            { value: '', label: 'Default (medium)' },
            { value: 'low', label: 'Low: only large departures from the key’s habits' },
            { value: 'medium', label: 'Medium' },
            { value: 'high', label: 'High: smaller departures too, and more alerts' },
          ]}
          errors={errors['alerts.unusualActivity.sensitivity']}
        />
      </fieldset>
      <fieldset>
        <legend>High usage</legend>
        <p class="hint">
          Leave the threshold empty for {org ? 'the installation default' : 'the org’s setting'}.
        </p>
        <div class="field-row">
          <TextField
            label="Threshold (requests)"
            type="number"
            min={1}
            inputMode="numeric"
            value={value.highUsageThreshold}
            onValue={(highUsageThreshold) => set({ highUsageThreshold })}
            errors={errors['alerts.highUsage.threshold']}
          />
          <SelectField
            label="Window"
            value={value.highUsagePeriod}
            onValue={(highUsagePeriod) => set({ highUsagePeriod })}
            options={PERIODS}
            errors={errors['alerts.highUsage.period']}
          />
        </div>
        <More summary="More high-usage options" invalid={has(errors, 'alerts.highUsage.warnAt')}>
          <TextField
            label="Warn at (share of the threshold)"
            hint="Between 0 and 1; empty: 0.8"
            type="number"
            step="0.05"
            min={0}
            max={1}
            value={value.highUsageWarnAt}
            onValue={(highUsageWarnAt) => set({ highUsageWarnAt })}
            errors={errors['alerts.highUsage.warnAt']}
            disabled={value.highUsageNoWarning}
          />
          <CheckboxField
            label="No early warning"
            checked={value.highUsageNoWarning}
            onChecked={(highUsageNoWarning) => set({ highUsageNoWarning })}
          />
          <CheckboxField
            label="Also notify when it resolves"
            checked={value.highUsageNotifyResolved}
            onChecked={(highUsageNotifyResolved) => set({ highUsageNotifyResolved })}
          />
        </More>
      </fieldset>
      <fieldset>
        <legend>Failures</legend>
        <p class="hint">
          Leave the threshold empty for {org ? 'the installation default' : 'the org’s setting'}.
        </p>
        <div class="field-row">
          <TextField
            label="Threshold (failed verifications)"
            type="number"
            min={1}
            inputMode="numeric"
            value={value.failuresThreshold}
            onValue={(failuresThreshold) => set({ failuresThreshold })}
            errors={errors['alerts.failures.threshold']}
          />
          <SelectField
            label="Window"
            value={value.failuresPeriod}
            onValue={(failuresPeriod) => set({ failuresPeriod })}
            options={PERIODS}
            errors={errors['alerts.failures.period']}
          />
        </div>
        <More
          summary="More failure options"
          invalid={has(errors, 'alerts.failures.rate', 'alerts.failures.minRequests')}
        >
          <TextField
            label="Failure rate (share of requests)"
            hint="Also alert when failures reach this share (0–1) of a window's requests"
            type="number"
            step="0.01"
            min={0}
            max={1}
            value={value.failuresRate}
            onValue={(failuresRate) => set({ failuresRate })}
            errors={errors['alerts.failures.rate']}
          />
          <TextField
            label="Minimum requests for the rate"
            hint="Empty: 20"
            type="number"
            min={1}
            inputMode="numeric"
            value={value.failuresMinRequests}
            onValue={(failuresMinRequests) => set({ failuresMinRequests })}
            errors={errors['alerts.failures.minRequests']}
          />
          <CheckboxField
            label="Also notify when it resolves"
            checked={value.failuresNotifyResolved}
            onChecked={(failuresNotifyResolved) => set({ failuresNotifyResolved })}
          />
        </More>
      </fieldset>
      <fieldset>
        <legend>Where alerts go</legend>
        <p class="hint">
          Empty: {org ? 'the installation’s channels' : 'the org’s channels'}. Set here, they replace those.
        </p>
        {(errors['alerts.channels']?.length ?? 0) > 0 && (
          <ul class="field-errors">
            {errors['alerts.channels']?.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        )}
        <Destinations
          value={value.channels}
          onChange={(channels) => set({ channels })}
          errors={errors}
          prefix="alerts.channels"
        />
      </fieldset>
      {org && (
        <fieldset>
          <legend>Security team (rotation escalations)</legend>
          <Destinations
            value={value.security}
            onChange={(security) => set({ security })}
            errors={errors}
            prefix="alerts.channels.security"
          />
        </fieldset>
      )}
    </div>
  );
}
