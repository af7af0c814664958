/**
 * The range of a view: presets (1h … 90d) as toggle buttons, or a custom from/to; optionally the
 * granularity (only those that keep the chart readable are offered). It edits the URL's
 * `range`, `from`, `to` and `granularity`, through `onChange`.
 */
import { useEffect, useId, useState } from 'preact/hooks';
import {
  allowedGranularities,
  fromLocalInput,
  type Granularity,
  PRESET_LABELS,
  PRESETS,
  type RangeSpec,
  type ResolvedRange,
  toLocalInput,
} from '../data/range.ts';

interface Props {
  spec: RangeSpec;
  range: ResolvedRange | null;
  onChange: (spec: RangeSpec) => void;
  showGranularity?: boolean;
}

const G_LABELS: Record<Granularity, string> = { minute: 'By minute', hour: 'By hour', day: 'By day' };

export function RangePicker({ spec, range, onChange, showGranularity }: Props) {
  const id = useId();
  const [custom, setCustom] = useState(spec.preset === 'custom');
  const [from, setFrom] = useState(range ? toLocalInput(range.from) : '');
  const [to, setTo] = useState(range ? toLocalInput(range.to) : '');
  const [error, setError] = useState('');

  useEffect(() => {
    if (spec.preset === 'custom') setCustom(true);
    if (range) {
      setFrom(toLocalInput(range.from));
      setTo(toLocalInput(range.to));
    }
  }, [spec.preset, range?.from.getTime(), range?.to.getTime()]);

  const apply = (e: Event) => {
    e.preventDefault();
    const f = fromLocalInput(from);
    const t = fromLocalInput(to);
    if (!f || !t) return setError('Enter both a start and an end.');
    if (f >= t) return setError('The start must be before the end.');
    setError('');
    onChange({ preset: 'custom', from: f.toISOString(), to: t.toISOString() });
  };

  const granularities = range ? allowedGranularities(range.from, range.to) : [];

  return (
    <div class="range-picker">
      <fieldset class="button-group">
        <legend class="visually-hidden">Time range</legend>
        {PRESETS.map((p) => (
          <button
            key={p}
            type="button"
            class="toggle"
            aria-pressed={!custom && spec.preset === p}
            title={PRESET_LABELS[p]}
            onClick={() => {
              setCustom(false);
              onChange({ preset: p });
            }}
          >
            <span class="visually-hidden">Last </span>
            {p}
          </button>
        ))}
        <button
          type="button"
          class="toggle"
          aria-pressed={custom}
          aria-expanded={custom}
          aria-controls={`${id}-custom`}
          onClick={() => setCustom(!custom)}
        >
          Custom
        </button>
      </fieldset>
      {showGranularity && range && (
        <div class="field field-inline">
          <label for={`${id}-g`}>Granularity</label>
          <select
            id={`${id}-g`}
            value={range.granularity}
            onChange={(e) => onChange({ ...spec, granularity: e.currentTarget.value as Granularity })}
          >
            {granularities.map((g) => (
              <option key={g} value={g}>
                {G_LABELS[g]}
              </option>
            ))}
          </select>
        </div>
      )}
      {custom && (
        <form id={`${id}-custom`} class="custom-range" onSubmit={apply} aria-label="Custom range">
          <div class="field field-inline">
            <label for={`${id}-from`}>From</label>
            <input
              id={`${id}-from`}
              type="datetime-local"
              value={from}
              onInput={(e) => setFrom(e.currentTarget.value)}
              required
            />
          </div>
          <div class="field field-inline">
            <label for={`${id}-to`}>To</label>
            <input
              id={`${id}-to`}
              type="datetime-local"
              value={to}
              onInput={(e) => setTo(e.currentTarget.value)}
              required
            />
          </div>
          <button type="submit">Apply</button>
          {error && (
            <p class="field-errors" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
