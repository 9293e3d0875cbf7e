// Routes: MLflow's traffic splits over endpoints (file and API entries), created and changed
// here (#/routes?new=1, ?edit=NAME).
import { useState } from 'preact/hooks';
import type { EndpointEntry, RouteEntry } from '../admin-types';
import { ConfirmButton } from '../components/confirm-button';
import { Done, ErrorNote, Loading } from '../components/notice';
import { RouteForm } from '../components/route-form';
import { SourceBadge } from '../components/source-badge';
import { useLoad } from '../components/use-load';
import { href, navigate } from '../router';
import type { PageProps } from './types';

function RouteTable(props: { routes: readonly RouteEntry[]; onDelete: (name: string) => Promise<void> }) {
  if (props.routes.length === 0) return <p class="muted">No routes yet. A route splits traffic between endpoints of one type by percentage.</p>;
  return (
    <table class="list" aria-label="Routes">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Task type</th>
          <th scope="col">Destinations</th>
          <th scope="col">Fallbacks</th>
          <th scope="col">Source</th>
          <th scope="col"><span class="sr-only">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        {props.routes.map((r) => (
          <tr key={r.name} data-name={r.name}>
            <th scope="row">{r.name}</th>
            <td>{r.task_type}</td>
            <td>{r.destinations.map((d) => `${d.name} ${d.traffic_percentage}%`).join(', ')}</td>
            <td>{r.fallbacks?.join(', ') || '—'}</td>
            <td><SourceBadge source={r.source} /></td>
            <td class="row-actions">
              {r.source === 'api' && <a class="button" href={href('routes', { edit: r.name })}>Edit</a>}
              {r.source === 'api' && <ConfirmButton label="Delete" question={`Delete ${r.name}?`} onConfirm={() => props.onDelete(r.name)} />}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default function RoutesPage({ api, location }: PageProps) {
  const data = useLoad(
    () => Promise.all([api.get<{ routes: RouteEntry[] }>('/api/admin/routes'), api.get<{ endpoints: EndpointEntry[] }>('/api/admin/endpoints')]).then(([r, e]) => ({ routes: r.routes, endpoints: e.endpoints })),
    // Read again when the hash names another route: it may have been made elsewhere since.
    [api, location.params.edit],
  );
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<Error | null>(null);
  const creating = location.params.new !== undefined;
  const editing = location.params.edit === undefined ? undefined : data.data?.routes.find((r) => r.name === location.params.edit);

  const remove = async (name: string) => {
    setFailure(null);
    try {
      await api.send('DELETE', `/api/admin/routes/${encodeURIComponent(name)}`);
      await data.reload();
      setDone(`Deleted route ${name}.`);
    } catch (e) {
      setFailure(e as Error);
    }
  };
  const saved = async (route: RouteEntry) => {
    navigate('routes');
    await data.reload();
    setDone(`Saved route ${route.name}: serving now.`);
  };
  const close = () => navigate('routes');

  return (
    <section>
      <header class="page-head">
        <h1>Routes</h1>
        <a class="button primary" href={href('routes', { new: '1' })} onClick={() => setDone(null)}>New route</a>
      </header>
      <Done message={done} />
      <ErrorNote error={failure ?? data.error} />
      {data.data && creating && <RouteForm key="new" api={api} endpoints={data.data.endpoints} onSaved={saved} onCancel={close} />}
      {data.data && editing?.source === 'api' && <RouteForm key={`edit-${editing.name}`} api={api} entry={editing} endpoints={data.data.endpoints} onSaved={saved} onCancel={close} />}
      {data.data ? <RouteTable routes={data.data.routes} onDelete={remove} /> : !data.error && <Loading what="routes" />}
    </section>
  );
}
