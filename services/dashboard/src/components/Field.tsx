/**
 * Labelled form controls with their error messages: each control has a `<label>`, and its
 * errors (from the API's 400, per field) are tied to it with aria-describedby and aria-invalid.
 */
import type { ComponentChildren, JSX } from 'preact';
import { useId } from 'preact/hooks';

export function FieldErrors({ id, errors }: { id: string; errors: readonly string[] | undefined }) {
  if (!errors || errors.length === 0) return null;
  return (
    <ul class="field-errors" id={id}>
      {errors.map((e) => (
        <li key={e}>{e}</li>
      ))}
    </ul>
  );
}

interface Common {
  label: ComponentChildren;
  hint?: ComponentChildren;
  errors?: readonly string[] | undefined;
  class?: string;
}

/** What a field's control carries: its id (for the label) and its ties to the hint and errors. */
interface ControlAttributes {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/** A labelled field: the label, an optional hint, the control, and its errors below it. */
function Field({
  label,
  hint,
  errors,
  class: cls,
  control,
}: Common & { control: (a: ControlAttributes) => JSX.Element }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-errors`;
  const described = [hint ? hintId : '', errors?.length ? errorId : ''].filter(Boolean).join(' ');
  return (
    <div class={`field ${cls ?? ''}`}>
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      )}
      {control({
        id,
        'aria-invalid': errors?.length ? true : undefined,
        'aria-describedby': described || undefined,
      })}
      <FieldErrors id={errorId} errors={errors} />
    </div>
  );
}

type InputProps = Common &
  Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'class' | 'label' | 'onInput' | 'value'> & {
    value: string;
    onValue: (value: string) => void;
  };

export function TextField({ label, hint, errors, class: cls, value, onValue, ...input }: InputProps) {
  return (
    <Field
      {...{ label, hint, errors, class: cls }}
      control={(a) => (
        <input {...a} value={value} onInput={(e) => onValue(e.currentTarget.value)} {...input} />
      )}
    />
  );
}

type AreaProps = Common &
  Omit<JSX.TextareaHTMLAttributes<HTMLTextAreaElement>, 'class' | 'label' | 'onInput' | 'value'> & {
    value: string;
    onValue: (value: string) => void;
  };

export function TextArea({ label, hint, errors, class: cls, value, onValue, ...area }: AreaProps) {
  return (
    <Field
      {...{ label, hint, errors, class: cls }}
      control={(a) => (
        <textarea {...a} value={value} onInput={(e) => onValue(e.currentTarget.value)} {...area} />
      )}
    />
  );
}

interface SelectProps<V extends string> extends Common {
  value: V;
  onValue: (value: V) => void;
  options: readonly { value: V; label: string }[];
  disabled?: boolean;
  name?: string;
}

export function SelectField<V extends string>({
  label,
  hint,
  errors,
  class: cls,
  value,
  onValue,
  options,
  disabled,
  name,
}: SelectProps<V>) {
  return (
    <Field
      {...{ label, hint, errors, class: cls }}
      control={(a) => (
        <select
          {...a}
          name={name}
          value={value}
          disabled={disabled}
          onChange={(e) => onValue(e.currentTarget.value as V)}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}

export function CheckboxField({
  label,
  checked,
  onChecked,
  hint,
}: {
  label: ComponentChildren;
  checked: boolean;
  onChecked: (checked: boolean) => void;
  hint?: string;
}) {
  const id = useId();
  return (
    <div class="field field-check">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(e) => onChecked(e.currentTarget.checked)}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <label for={id}>{label}</label>
      {hint && (
        <span class="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
    </div>
  );
}

/** Errors that belong to no one field (e.g. a 409, or `body: …`). */
export function FormErrors({ errors }: { errors: readonly string[] | undefined }) {
  if (!errors || errors.length === 0) return null;
  return (
    <div class="error-box" role="alert" tabIndex={-1}>
      <p>
        <strong>The request was refused:</strong>
      </p>
      <ul>
        {errors.map((e) => (
          <li key={e}>{e}</li>
        ))}
      </ul>
    </div>
  );
}
