// Writing secrets: a new one (name and value) and a new value for one (rotate). Values go in
// password inputs and are cleared once sent; the API never gives one back.
import { useState } from 'preact/hooks';
import type { Api } from '../api';
import type { SecretView } from '../admin-types';
import { Field, FormProblem } from './field';
import { problemOf, type Problem } from './problem';

export function SecretCreateForm(props: { api: Api; onSaved: (s: SecretView) => void; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const saved = await props.api.send<SecretView>('POST', '/api/admin/secrets', { name: name.trim(), value });
      setValue('');
      props.onSaved(saved);
    } catch (e) {
      setProblem(problemOf(e, ['name', 'value']));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="panel form" onSubmit={submit} aria-labelledby="secret-form-title" noValidate>
      <h2 id="secret-form-title">New secret</h2>
      <div class="grid">
        <Field label="Name" field="name" problem={problem} hint="endpoints refer to it as $secret:NAME">
          <input name="name" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} required autocomplete="off" />
        </Field>
        <Field label="Value" field="value" problem={problem} hint="stored encrypted with the master key; never shown again">
          <input name="value" type="password" value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} required autocomplete="new-password" />
        </Field>
      </div>
      <FormProblem problem={problem} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>{busy ? 'Saving…' : 'Save secret'}</button>
        <button type="button" onClick={props.onCancel}>Cancel</button>
      </div>
    </form>
  );
}

/** In the secret's table row: a new value, applied to every endpoint that uses the secret. */
export function SecretRotateForm(props: { api: Api; secret: SecretView; onSaved: (s: SecretView) => void; onCancel: () => void }) {
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const saved = await props.api.send<SecretView>('PUT', `/api/admin/secrets/${encodeURIComponent(props.secret.name)}`, { value });
      setValue('');
      props.onSaved(saved);
    } catch (e) {
      setProblem(problemOf(e, []));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="inline rotate" onSubmit={submit} noValidate>
      <label>
        <span class="sr-only">New value for {props.secret.name}</span>
        <input name="rotate-value" type="password" placeholder="new value" value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} autocomplete="new-password" />
      </label>
      <button type="submit" class="primary" disabled={busy || value === ''}>Rotate</button>
      <button type="button" onClick={props.onCancel}>Cancel</button>
      <FormProblem problem={problem} />
    </form>
  );
}
