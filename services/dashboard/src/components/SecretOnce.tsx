/**
 * A secret the API shows once (a new key, a rotated key's successor, a webhook secret). It lives
 * in this component's state only: gone when the view changes or the page reloads.
 */
import { useId, useState } from 'preact/hooks';
import { copyText } from '../hooks.ts';

export function SecretOnce({ secret, label }: { secret: string; label: string }) {
  const id = useId();
  const [copied, setCopied] = useState<'idle' | 'ok' | 'failed'>('idle');
  const copy = async () => {
    setCopied((await copyText(secret)) ? 'ok' : 'failed');
  };
  return (
    <div class="secret-once">
      <p class="secret-warning" id={`${id}-warning`}>
        <strong>Shown once — copy it now.</strong> keywatch keeps only a hash: once you leave or reload this
        page, no one can show it again.
      </p>
      <label for={id}>{label}</label>
      <div class="secret-row">
        <input
          id={id}
          class="mono"
          type="text"
          readOnly
          value={secret}
          autocomplete="off"
          spellcheck={false}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" onClick={copy}>
          Copy
        </button>
      </div>
      <p class="muted" role="status">
        {copied === 'ok'
          ? 'Copied to the clipboard.'
          : copied === 'failed'
            ? 'The browser did not allow copying: select the text and copy it yourself.'
            : ''}
      </p>
    </div>
  );
}
