// Filters (endpoint, key, provider, model, status) and the time range: every change is written
// to the hash params, which the views read back, so the URL always says what is shown.
import { useState } from 'preact/hooks';
import { RANGES, type Params, type Window } from './filters';
import type { KeyLabel } from './key-names';

export interface FilterOptions {
  readonly endpoint: readonly string[];
  readonly key: readonly string[];
  readonly provider: readonly string[];
  readonly model: readonly string[];
}

export interface FilterBarProps {
  readonly params: Params;
  readonly window: Window;
  readonly options: FilterOptions;
  readonly onChange: (changes: Record<string, string | undefined>) => void;
  readonly onRefresh: () => void;
  readonly keyLabel: KeyLabel;
}

const STATUSES = [
  { id: '', label: 'Any status' },
  { id: 'ok', label: 'Succeeded' },
  { id: 'error', label: 'Failed' },
  { id: '4xx', label: '4xx' },
  { id: '5xx', label: '5xx' },
];

/** "2026-12-07T10:15" in local time, as a datetime-local input wants it. */
function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

function NameSelect(props: { name: keyof FilterOptions; label: string; params: Params; options: readonly string[]; onChange: FilterBarProps['onChange']; show?: (name: string) => string }) {
  const value = props.params[props.name] ?? '';
  // A value from the URL stays selectable even when the range holds none of its requests.
  const names = value && !props.options.includes(value) ? [value, ...props.options] : props.options;
  return (
    <label>
      {props.label}
      <select name={props.name} value={value} onChange={(e) => props.onChange({ [props.name]: (e.target as HTMLSelectElement).value || undefined, id: undefined })}>
        <option value="">All</option>
        {names.map((n) => (
          <option value={n}>{props.show ? props.show(n) : n}</option>
        ))}
      </select>
    </label>
  );
}

export function FilterBar(props: FilterBarProps) {
  const { params, window, options, onChange } = props;
  const [custom, setCustom] = useState(window.preset === null);
  const [from, setFrom] = useState(localInput(window.from));
  const [to, setTo] = useState(localInput(window.to));
  const [invalid, setInvalid] = useState<string | null>(null);
  const applyCustom = (event: Event) => {
    event.preventDefault();
    const start = new Date(from).getTime();
    const end = to ? new Date(to).getTime() : Date.now();
    if (Number.isNaN(start) || Number.isNaN(end)) return setInvalid('Give the start as a date and time.');
    if (start >= end) return setInvalid('"From" must come before "To".');
    setInvalid(null);
    onChange({ range: undefined, from: new Date(start).toISOString(), to: new Date(end).toISOString(), id: undefined });
  };
  return (
    <div class="dash-filters">
      <div class="dash-selects">
        <NameSelect name="endpoint" label="Endpoint" params={params} options={options.endpoint} onChange={onChange} />
        <NameSelect name="key" label="Key" params={params} options={options.key} onChange={onChange} show={props.keyLabel} />
        <NameSelect name="provider" label="Provider" params={params} options={options.provider} onChange={onChange} />
        <NameSelect name="model" label="Model" params={params} options={options.model} onChange={onChange} />
        <label>
          Status
          <select name="status" value={params.status ?? ''} onChange={(e) => onChange({ status: (e.target as HTMLSelectElement).value || undefined, id: undefined })}>
            {STATUSES.map((s) => (
              <option value={s.id}>{s.label}</option>
            ))}
          </select>
        </label>
      </div>
      <div class="dash-range" role="group" aria-label="Time range">
        {RANGES.map((r) => (
          <button
            type="button"
            data-range={r.id}
            aria-pressed={window.preset === r.id && !custom}
            onClick={() => {
              setCustom(false);
              onChange({ range: r.id, from: undefined, to: undefined, id: undefined });
            }}
          >
            {r.label}
          </button>
        ))}
        <button type="button" data-range="custom" aria-pressed={custom || window.preset === null} onClick={() => setCustom(true)}>
          Custom
        </button>
        <button type="button" class="dash-refresh" onClick={props.onRefresh} title="Fetch again (a preset range ends now)">
          Refresh
        </button>
      </div>
      {(custom || window.preset === null) && (
        <form class="dash-custom" onSubmit={applyCustom}>
          <label>
            From
            <input type="datetime-local" name="from" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} required />
          </label>
          <label>
            To
            <input type="datetime-local" name="to" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit">Apply</button>
          {invalid && (
            <span class="error" role="alert">
              {invalid}
            </span>
          )}
        </form>
      )}
    </div>
  );
}
