// Secrets: provider keys stored encrypted by the management plugin, listed by name and mask only.
// Endpoints name them as "$secret:NAME" in their provider config.
import { useState } from 'preact/hooks';
import type { SecretView } from '../admin-types';
import { ConfirmButton } from '../components/confirm-button';
import { Done, ErrorNote, Loading } from '../components/notice';
import { SecretCreateForm, SecretRotateForm } from '../components/secret-forms';
import { useLoad } from '../components/use-load';
import type { PageProps } from './types';

const when = (iso: string) => iso.replace('T', ' ').slice(0, 16);

export default function SecretsPage({ api }: PageProps) {
  const list = useLoad(() => api.get<{ secrets: SecretView[] }>('/api/admin/secrets').then((r) => r.secrets), [api]);
  const [creating, setCreating] = useState(false);
  const [rotating, setRotating] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<Error | null>(null);

  const remove = async (name: string) => {
    setFailure(null);
    setDone(null);
    try {
      await api.send('DELETE', `/api/admin/secrets/${encodeURIComponent(name)}`);
      await list.reload();
      setDone(`Deleted secret ${name}.`);
    } catch (e) {
      // 409 when an endpoint still uses it: the message names them.
      setFailure(e as Error);
    }
  };
  const saved = (verb: string) => async (s: SecretView) => {
    setCreating(false);
    setRotating(null);
    await list.reload();
    setDone(`${verb} secret ${s.name}.`);
  };

  return (
    <section>
      <header class="page-head">
        <h1>Secrets</h1>
        <button type="button" class="primary" onClick={() => (setCreating(true), setDone(null))} disabled={creating}>New secret</button>
      </header>
      <p class="muted">
        Provider keys, stored encrypted. Use one in an endpoint's provider config as <code>"$secret:NAME"</code>. Values are never shown.
      </p>
      <Done message={done} />
      <ErrorNote error={failure ?? list.error} />
      {creating && <SecretCreateForm api={api} onSaved={saved('Saved')} onCancel={() => setCreating(false)} />}
      {!list.data ? (
        !list.error && <Loading what="secrets" />
      ) : list.data.length === 0 ? (
        <p class="muted">No secrets stored.</p>
      ) : (
        <table class="list" aria-label="Secrets">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Value</th>
              <th scope="col">Master key</th>
              <th scope="col">Updated</th>
              <th scope="col"><span class="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((s) => (
              <tr key={s.name} data-name={s.name}>
                <th scope="row">{s.name}</th>
                <td class="mono">{s.mask}</td>
                <td class="mono" title="fingerprint of the master key that encrypts it">{s.key_fingerprint}</td>
                <td>{when(s.updated_at)}</td>
                <td class="row-actions">
                  {rotating === s.name ? (
                    <SecretRotateForm api={api} secret={s} onSaved={saved('Rotated')} onCancel={() => setRotating(null)} />
                  ) : (
                    <>
                      <button type="button" onClick={() => (setRotating(s.name), setDone(null))}>Rotate</button>
                      <ConfirmButton label="Delete" question={`Delete ${s.name}?`} onConfirm={() => remove(s.name)} />
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
