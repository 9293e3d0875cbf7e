// Keys: every gateway key (declared in the file or issued), issuing one (shown once) and
// revoking an issued one. Never a key's text or hash, except the new key's, once.
import { useState } from 'preact/hooks';
import type { KeyView } from '../admin-types';
import { ConfirmButton } from '../components/confirm-button';
import { KeyForm, type CreatedKey } from '../components/key-form';
import { NewKey } from '../components/new-key';
import { Done, ErrorNote, Loading } from '../components/notice';
import { SourceBadge } from '../components/source-badge';
import { useLoad } from '../components/use-load';
import type { PageProps } from './types';

const day = (iso: string | null) => (iso === null ? '—' : iso.replace('T', ' ').slice(0, 16));

function KeyTable(props: { keys: readonly KeyView[]; onRevoke: (key: KeyView) => Promise<void> }) {
  if (props.keys.length === 0) return <p class="muted">No keys yet: while none exists, the gateway lets every caller through. Create one to turn auth on.</p>;
  return (
    <table class="list" aria-label="Keys">
      <thead>
        <tr>
          <th scope="col">ID</th>
          <th scope="col">Name</th>
          <th scope="col">Owner</th>
          <th scope="col">Endpoints</th>
          <th scope="col">Expires</th>
          <th scope="col">Status</th>
          <th scope="col">Source</th>
          <th scope="col"><span class="sr-only">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        {props.keys.map((k) => (
          <tr key={k.id} data-name={k.name} class={k.status === 'active' ? '' : 'dim'}>
            <td class="mono">{k.id}</td>
            <th scope="row">{k.name}</th>
            <td>{k.owner ?? '—'}</td>
            <td>{k.endpoints?.join(', ') ?? 'all'}</td>
            <td>{day(k.expires_at)}</td>
            <td>
              <span class={`status ${k.status}`}>{k.status === 'revoked' ? `revoked ${day(k.revoked_at)}` : k.status}</span>
            </td>
            <td><SourceBadge source={k.source} /></td>
            <td class="row-actions">
              {k.source === 'store' && k.status !== 'revoked' && <ConfirmButton label="Revoke" question={`Revoke ${k.name}? Callers using it are refused at once.`} onConfirm={() => props.onRevoke(k)} />}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function KeysPage({ api }: PageProps) {
  const list = useLoad(() => api.get<{ keys: KeyView[] }>('/api/keys').then((r) => r.keys), [api]);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<Error | null>(null);

  const revoke = async (key: KeyView) => {
    setFailure(null);
    try {
      await api.send('DELETE', `/api/keys/${encodeURIComponent(key.id)}`);
      await list.reload();
      setDone(`Revoked key ${key.name} (${key.id}).`);
    } catch (e) {
      setFailure(e as Error);
    }
  };

  return (
    <section>
      <header class="page-head">
        <h1>Keys</h1>
        <button type="button" class="primary" onClick={() => (setCreating(true), setDone(null))} disabled={creating}>New key</button>
      </header>
      <p class="muted">Keys for the gateway's callers. The admin key you signed in with is not listed; it calls every endpoint and is recorded in usage as "admin".</p>
      <Done message={done} />
      <ErrorNote error={failure ?? list.error} />
      {created && <NewKey created={created} onDismiss={() => setCreated(null)} />}
      {creating && (
        <KeyForm
          api={api}
          onCreated={(key) => {
            setCreated(key);
            setCreating(false);
            list.reload();
          }}
          onCancel={() => setCreating(false)}
        />
      )}
      {list.data ? <KeyTable keys={list.data} onRevoke={revoke} /> : !list.error && <Loading what="keys" />}
    </section>
  );
}
