// Create or edit an endpoint: MLflow's fields (name, type, provider, model, provider config, limit)
// and Gatehouse's fallbacks. Keys the form does not show (retry, timeouts, ...) are kept as they
// are. The provider config is JSON; secrets go in as references ($secret:NAME or $ENV_VAR), which
// the API insists on.
import { useState } from 'preact/hooks';
import type { Api } from '../api';
import { editable, ENDPOINT_TYPES, RENEWAL_PERIODS, type EndpointEntry, type EndpointType, type RenewalPeriod } from '../admin-types';
import { Field, FormProblem } from './field';
import { problemOf, type Problem } from './problem';
import { saveEntry } from './save-entry';

const FIELDS = ['name', 'endpoint_type', 'model.provider', 'model.name', 'model.config', 'limit', 'fallbacks'] as const;

/** The built-in providers; a third-party provider's id can be typed in. */
const PROVIDERS = ['mock', 'openai', 'anthropic', 'gemini', 'bedrock', 'mistral', 'cohere', 'groq', 'deepseek', 'xai', 'fireworks', 'togetherai', 'openrouter', 'ollama', 'vllm', 'openai-compatible', 'databricks', 'mlflow-model-serving', 'huggingface-tgi', 'mosaicml', 'ai21labs', 'palm'];

interface Draft {
  name: string;
  endpoint_type: EndpointType;
  provider: string;
  model: string;
  config: string;
  calls: string;
  period: RenewalPeriod;
  fallbacks: string;
}

function draftOf(entry: EndpointEntry | undefined): Draft {
  return {
    name: entry?.name ?? '',
    endpoint_type: entry?.endpoint_type ?? 'llm/v1/chat',
    provider: entry?.model.provider ?? 'mock',
    model: entry?.model.name ?? '',
    config: entry?.model.config ? JSON.stringify(entry.model.config, null, 2) : '{}',
    calls: entry?.limit ? String(entry.limit.calls) : '',
    period: entry?.limit?.renewal_period ?? 'minute',
    fallbacks: (entry?.fallbacks ?? []).join(', '),
  };
}

/** The request body, or a problem the browser can see before asking the server. */
function bodyOf(draft: Draft, entry: EndpointEntry | undefined): { body: Record<string, unknown> } | { problem: Problem } {
  let config: unknown = {};
  if (draft.config.trim() !== '') {
    try {
      config = JSON.parse(draft.config);
    } catch (e) {
      return { problem: { field: 'model.config', message: `The provider config is not valid JSON: ${(e as Error).message}` } };
    }
  }
  if (!config || typeof config !== 'object' || Array.isArray(config)) return { problem: { field: 'model.config', message: 'The provider config must be a JSON object, like {"api_key": "$secret:OPENAI_KEY"}.' } };
  const body = editable(entry ?? {});
  body.name = draft.name.trim();
  body.endpoint_type = draft.endpoint_type;
  body.model = {
    provider: draft.provider.trim(),
    ...(draft.model.trim() ? { name: draft.model.trim() } : {}),
    ...(Object.keys(config).length > 0 ? { config } : {}),
  };
  if (draft.calls.trim() === '') delete body.limit;
  else body.limit = { ...(entry?.limit ?? {}), renewal_period: draft.period, calls: Number(draft.calls) };
  const fallbacks = draft.fallbacks.split(',').map((s) => s.trim()).filter(Boolean);
  if (fallbacks.length === 0) delete body.fallbacks;
  else body.fallbacks = fallbacks;
  return { body };
}

export function EndpointForm(props: { api: Api; entry?: EndpointEntry; onSaved: (saved: EndpointEntry) => void; onCancel: () => void }) {
  const editing = props.entry !== undefined;
  const [draft, setDraft] = useState(() => draftOf(props.entry));
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (field: keyof Draft) => (e: Event) => setDraft({ ...draft, [field]: (e.target as HTMLInputElement).value });

  const submit = async (event: Event) => {
    event.preventDefault();
    const checked = bodyOf(draft, props.entry);
    if ('problem' in checked) {
      setProblem(checked.problem);
      return;
    }
    const { body } = checked;
    setBusy(true);
    setProblem(null);
    try {
      const saved = await saveEntry<EndpointEntry>(props.api, 'endpoints', editing ? props.entry!.name : undefined, body);
      props.onSaved(saved);
    } catch (e) {
      setProblem(problemOf(e, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="panel form" onSubmit={submit} aria-labelledby="endpoint-form-title" noValidate>
      <h2 id="endpoint-form-title">{editing ? `Edit endpoint ${props.entry!.name}` : 'New endpoint'}</h2>
      <div class="grid">
        <Field label="Name" field="name" problem={problem}>
          <input name="name" value={draft.name} onInput={set('name')} disabled={editing} required autocomplete="off" />
        </Field>
        <Field label="Type" field="endpoint_type" problem={problem}>
          <select name="endpoint_type" value={draft.endpoint_type} onChange={set('endpoint_type')}>
            {ENDPOINT_TYPES.map((t) => <option value={t}>{t}</option>)}
          </select>
        </Field>
        <Field label="Provider" field="model.provider" problem={problem}>
          <input name="provider" list="providers" value={draft.provider} onInput={set('provider')} required autocomplete="off" />
          <datalist id="providers">{PROVIDERS.map((p) => <option value={p} />)}</datalist>
        </Field>
        <Field label="Model name" field="model.name" problem={problem} hint="as the provider names it">
          <input name="model" value={draft.model} onInput={set('model')} autocomplete="off" />
        </Field>
        <Field label="Provider config (JSON)" field="model.config" problem={problem} wide hint='Secrets by reference only: "$secret:NAME" (Secrets page) or "$ENV_VAR".'>
          <textarea name="config" rows={5} spellcheck={false} value={draft.config} onInput={set('config')} />
        </Field>
        <Field label="Limit: calls" field="limit" problem={problem} hint="empty: no limit">
          <span class="inline">
            <input name="limit_calls" type="number" min={1} value={draft.calls} onInput={set('calls')} aria-label="Calls allowed" />
            <span>per</span>
            <select name="limit_period" value={draft.period} onChange={set('period')} aria-label="Renewal period">
              {RENEWAL_PERIODS.map((p) => <option value={p}>{p}</option>)}
            </select>
          </span>
        </Field>
        <Field label="Fallbacks" field="fallbacks" problem={problem} hint="endpoint names of the same type, tried in order">
          <input name="fallbacks" value={draft.fallbacks} onInput={set('fallbacks')} placeholder="backup-a, backup-b" autocomplete="off" />
        </Field>
      </div>
      <FormProblem problem={problem} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>{busy ? 'Saving…' : editing ? 'Save changes' : 'Create endpoint'}</button>
        <button type="button" onClick={props.onCancel}>Cancel</button>
      </div>
    </form>
  );
}
