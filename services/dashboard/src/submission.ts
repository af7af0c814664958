/**
 * A form that sends one request to the API: busy while it does, a refusal's 400 turned into
 * messages beside the fields it names (the rest above the form), and the keyboard taken to the
 * first field in error once they show.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage, invalidRequestMessage } from './api.ts';
import { FORM, fieldErrors } from './data/problems.ts';

export type FieldErrorMap = Record<string, string[]>;

export function useSubmission(fields: readonly string[]) {
  const [errors, setErrors] = useState<FieldErrorMap>({});
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (Object.keys(errors).length === 0) return;
    (
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      formRef.current?.querySelector<HTMLElement>('[role="alert"]')
    )?.focus();
  }, [errors]);

  /** Sends; the refusal, if any, becomes the form's errors. */
  const submit = async (send: () => Promise<void>) => {
    setBusy(true);
    setErrors({});
    try {
      await send();
    } catch (err) {
      const message = invalidRequestMessage(err);
      setErrors(message ? fieldErrors(message, fields) : { [FORM]: [errorMessage(err)] });
    } finally {
      setBusy(false);
    }
  };

  return { errors, setErrors, busy, formRef, submit };
}
