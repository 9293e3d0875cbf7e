// Endpoints: the list (file and API entries), a form to create or edit one (#/endpoints?new=1,
// ?edit=NAME) and the "try it" panel (?try=NAME).
import { useState } from 'preact/hooks';
import type { EndpointEntry } from '../admin-types';
import { EndpointForm } from '../components/endpoint-form';
import { EndpointTable } from '../components/endpoint-table';
import { Done, ErrorNote, Loading } from '../components/notice';
import { TryIt } from '../components/try-it';
import { useLoad } from '../components/use-load';
import { href, navigate } from '../router';
import type { PageProps } from './types';

export default function EndpointsPage({ api, location }: PageProps) {
  const { edit, try: trying } = location.params;
  // Read again when the hash names another entry: it may have been made elsewhere since.
  const list = useLoad(() => api.get<{ endpoints: EndpointEntry[] }>('/api/admin/endpoints').then((r) => r.endpoints), [api, edit, trying]);
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<Error | null>(null);
  const creating = location.params.new !== undefined;
  const find = (name: string | undefined) => (name === undefined ? undefined : list.data?.find((e) => e.name === name));

  const remove = async (name: string) => {
    setFailure(null);
    try {
      await api.send('DELETE', `/api/admin/endpoints/${encodeURIComponent(name)}`);
      if (edit === name || trying === name) navigate('endpoints');
      await list.reload();
      setDone(`Deleted endpoint ${name}.`);
    } catch (e) {
      setFailure(e as Error);
    }
  };
  const saved = async (entry: EndpointEntry) => {
    navigate('endpoints');
    await list.reload();
    setDone(`Saved endpoint ${entry.name}: serving now.`);
  };
  const close = () => navigate('endpoints');

  const editing = find(edit);
  const tried = find(trying);
  return (
    <section>
      <header class="page-head">
        <h1>Endpoints</h1>
        <a class="button primary" href={href('endpoints', { new: '1' })} onClick={() => setDone(null)}>New endpoint</a>
      </header>
      <Done message={done} />
      <ErrorNote error={failure ?? list.error} />
      {creating && <EndpointForm key="new" api={api} onSaved={saved} onCancel={close} />}
      {editing && editing.source === 'api' && <EndpointForm key={`edit-${editing.name}`} api={api} entry={editing} onSaved={saved} onCancel={close} />}
      {editing && editing.source === 'file' && <p class="error" role="alert">The endpoint {editing.name} comes from the config file: change it there.</p>}
      {tried && <TryIt key={tried.name} api={api} endpoint={tried} onClose={close} />}
      {list.data && !list.loading && (edit ?? trying) !== undefined && !editing && !tried && <ErrorNote error={`No endpoint named "${edit ?? trying}".`} />}
      {list.data ? <EndpointTable endpoints={list.data} onDelete={remove} /> : !list.error && <Loading what="endpoints" />}
    </section>
  );
}
