// Issue a gateway key: name, owner, the endpoints it may call (empty: all), an expiry and
// optional request/token limits, as POST /api/keys takes them.
import { useState } from 'preact/hooks';
import type { Api } from '../api';
import { RENEWAL_PERIODS, type KeyView, type RenewalPeriod } from '../admin-types';
import { Field, FormProblem } from './field';
import { problemOf, type Problem } from './problem';

const FIELDS = ['name', 'owner', 'endpoints', 'expires_at', 'limits.requests', 'limits.tokens', 'limits'] as const;

export type CreatedKey = KeyView & { readonly key: string };

function PeriodSelect(props: { name: string; value: RenewalPeriod; onChange: (p: RenewalPeriod) => void; label: string }) {
  return (
    <select name={props.name} value={props.value} aria-label={props.label} onChange={(e) => props.onChange((e.target as HTMLSelectElement).value as RenewalPeriod)}>
      {RENEWAL_PERIODS.map((p) => <option value={p}>{p}</option>)}
    </select>
  );
}

export function KeyForm(props: { api: Api; onCreated: (key: CreatedKey) => void; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [owner, setOwner] = useState('');
  const [endpoints, setEndpoints] = useState('');
  const [expires, setExpires] = useState('');
  const [requests, setRequests] = useState('');
  const [requestsPer, setRequestsPer] = useState<RenewalPeriod>('minute');
  const [tokens, setTokens] = useState('');
  const [tokensPer, setTokensPer] = useState<RenewalPeriod>('day');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const text = (set: (v: string) => void) => (e: Event) => set((e.target as HTMLInputElement).value);

  const submit = async (event: Event) => {
    event.preventDefault();
    const list = endpoints.split(',').map((s) => s.trim()).filter(Boolean);
    const limits = {
      ...(requests.trim() ? { requests: { calls: Number(requests), renewal_period: requestsPer } } : {}),
      ...(tokens.trim() ? { tokens: { tokens: Number(tokens), renewal_period: tokensPer } } : {}),
    };
    const body = {
      name: name.trim(),
      ...(owner.trim() ? { owner: owner.trim() } : {}),
      ...(list.length > 0 ? { endpoints: list } : {}),
      ...(expires.trim() ? { expires_at: expires.trim() } : {}),
      ...(Object.keys(limits).length > 0 ? { limits } : {}),
    };
    setBusy(true);
    setProblem(null);
    try {
      props.onCreated(await props.api.send<CreatedKey>('POST', '/api/keys', body));
    } catch (e) {
      setProblem(problemOf(e, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="panel form" onSubmit={submit} aria-labelledby="key-form-title" noValidate>
      <h2 id="key-form-title">New key</h2>
      <div class="grid">
        <Field label="Name" field="name" problem={problem}>
          <input name="name" value={name} onInput={text(setName)} required autocomplete="off" />
        </Field>
        <Field label="Owner" field="owner" problem={problem} hint="optional: a team or an e-mail">
          <input name="owner" value={owner} onInput={text(setOwner)} autocomplete="off" />
        </Field>
        <Field label="Endpoints" field="endpoints" problem={problem} hint="comma-separated; empty: all">
          <input name="endpoints" value={endpoints} onInput={text(setEndpoints)} autocomplete="off" />
        </Field>
        <Field label="Expires" field="expires_at" problem={problem} hint="90d, 12h, 8w or an ISO date; empty: never">
          <input name="expires_at" value={expires} onInput={text(setExpires)} autocomplete="off" />
        </Field>
        <Field label="Request limit" field="limits.requests" problem={problem} hint="empty: none">
          <span class="inline">
            <input name="limit_requests" type="number" min={1} value={requests} onInput={text(setRequests)} aria-label="Requests allowed" />
            <span>per</span>
            <PeriodSelect name="limit_requests_period" value={requestsPer} onChange={setRequestsPer} label="Request limit period" />
          </span>
        </Field>
        <Field label="Token limit" field="limits.tokens" problem={problem} hint="empty: none">
          <span class="inline">
            <input name="limit_tokens" type="number" min={1} value={tokens} onInput={text(setTokens)} aria-label="Tokens allowed" />
            <span>per</span>
            <PeriodSelect name="limit_tokens_period" value={tokensPer} onChange={setTokensPer} label="Token limit period" />
          </span>
        </Field>
      </div>
      <FormProblem problem={problem?.field === 'limits' ? { message: problem.message } : problem} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>{busy ? 'Creating…' : 'Create key'}</button>
        <button type="button" onClick={props.onCancel}>Cancel</button>
      </div>
    </form>
  );
}
