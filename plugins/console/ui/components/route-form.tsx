// Create or edit a traffic-split route: destinations (endpoints of the route's type) with
// percentages that must add up to 100. Checked here as the operator types; the server checks
// everything again and its answer is the one shown.
import { useState } from 'preact/hooks';
import type { Api } from '../api';
import { editable, ENDPOINT_TYPES, type EndpointEntry, type EndpointType, type RouteEntry } from '../admin-types';
import { Field, FormProblem } from './field';
import { problemOf, type Problem } from './problem';
import { saveEntry } from './save-entry';

const FIELDS = ['name', 'task_type', 'destinations', 'fallbacks'] as const;

interface Row {
  name: string;
  percent: string;
}

export function RouteForm(props: { api: Api; entry?: RouteEntry; endpoints: readonly EndpointEntry[]; onSaved: (saved: RouteEntry) => void; onCancel: () => void }) {
  const editing = props.entry !== undefined;
  const [name, setName] = useState(props.entry?.name ?? '');
  const [type, setType] = useState<EndpointType>(props.entry?.task_type ?? 'llm/v1/chat');
  const [rows, setRows] = useState<Row[]>(() => props.entry?.destinations.map((d) => ({ name: d.name, percent: String(d.traffic_percentage) })) ?? [{ name: '', percent: '100' }]);
  const [fallbacks, setFallbacks] = useState((props.entry?.fallbacks ?? []).join(', '));
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  const choices = props.endpoints.filter((e) => e.endpoint_type === type);
  const total = rows.reduce((sum, r) => sum + (Number(r.percent) || 0), 0);
  const setRow = (i: number, change: Partial<Row>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));

  const submit = async (event: Event) => {
    event.preventDefault();
    if (total !== 100) {
      setProblem({ field: 'destinations', message: `The percentages add up to ${total}; they must add up to 100.` });
      return;
    }
    const body = editable(props.entry ?? { routing_strategy: 'TRAFFIC_SPLIT' });
    body.name = name.trim();
    body.task_type = type;
    body.destinations = rows.map((r) => ({ name: r.name, traffic_percentage: Number(r.percent) }));
    const names = fallbacks.split(',').map((s) => s.trim()).filter(Boolean);
    if (names.length > 0) body.fallbacks = names;
    else delete body.fallbacks;
    setBusy(true);
    setProblem(null);
    try {
      const saved = await saveEntry<RouteEntry>(props.api, 'routes', editing ? props.entry!.name : undefined, body);
      props.onSaved(saved);
    } catch (e) {
      setProblem(problemOf(e, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="panel form" onSubmit={submit} aria-labelledby="route-form-title" noValidate>
      <h2 id="route-form-title">{editing ? `Edit route ${props.entry!.name}` : 'New route'}</h2>
      <div class="grid">
        <Field label="Name" field="name" problem={problem}>
          <input name="name" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} disabled={editing} required autocomplete="off" />
        </Field>
        <Field label="Task type" field="task_type" problem={problem}>
          <select name="task_type" value={type} onChange={(e) => setType((e.target as HTMLSelectElement).value as EndpointType)}>
            {ENDPOINT_TYPES.map((t) => <option value={t}>{t}</option>)}
          </select>
        </Field>
      </div>
      <fieldset class={`destinations${problem?.field === 'destinations' ? ' invalid' : ''}`}>
        <legend>Destinations</legend>
        {rows.map((row, i) => (
          <div class="inline" data-row={i}>
            <label>
              <span class="sr-only">Destination {i + 1} endpoint</span>
              <select name={`destination-${i}`} value={row.name} onChange={(e) => setRow(i, { name: (e.target as HTMLSelectElement).value })}>
                <option value="">— endpoint —</option>
                {choices.map((e) => <option value={e.name}>{e.name}</option>)}
                {row.name && !choices.some((e) => e.name === row.name) && <option value={row.name}>{row.name}</option>}
              </select>
            </label>
            <label>
              <span class="sr-only">Destination {i + 1} percentage</span>
              <input name={`percent-${i}`} type="number" min={0} max={100} value={row.percent} onInput={(e) => setRow(i, { percent: (e.target as HTMLInputElement).value })} />
            </label>
            <span>%</span>
            <button type="button" onClick={() => setRows(rows.filter((_, j) => j !== i))} disabled={rows.length === 1}>Remove</button>
          </div>
        ))}
        <div class="inline">
          <button type="button" onClick={() => setRows([...rows, { name: '', percent: '0' }])}>Add destination</button>
          <span class={total === 100 ? 'muted' : 'warn'} data-testid="route-total">Total: {total}%{total === 100 ? '' : ' (must be 100)'}</span>
        </div>
        {problem?.field === 'destinations' && <p class="error" role="alert">{problem.message}</p>}
      </fieldset>
      <div class="grid">
        <Field label="Fallbacks" field="fallbacks" problem={problem} hint="endpoints tried in order after the pick fails">
          <input name="fallbacks" value={fallbacks} onInput={(e) => setFallbacks((e.target as HTMLInputElement).value)} autocomplete="off" />
        </Field>
      </div>
      <FormProblem problem={problem} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>{busy ? 'Saving…' : editing ? 'Save changes' : 'Create route'}</button>
        <button type="button" onClick={props.onCancel}>Cancel</button>
      </div>
    </form>
  );
}
