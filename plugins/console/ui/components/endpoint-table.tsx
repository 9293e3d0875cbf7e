// The endpoints as a table: what each is, where it comes from, its limit; actions per row (file
// entries can only be tried).
import type { EndpointEntry } from '../admin-types';
import { href } from '../router';
import { ConfirmButton } from './confirm-button';
import { SourceBadge } from './source-badge';

function limitText(e: EndpointEntry): string {
  return e.limit ? `${e.limit.calls} / ${e.limit.renewal_period}` : '—';
}

export function EndpointTable(props: { endpoints: readonly EndpointEntry[]; onDelete: (name: string) => Promise<void> }) {
  if (props.endpoints.length === 0) return <p class="muted">No endpoints yet: create one.</p>;
  return (
    <table class="list" aria-label="Endpoints">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Type</th>
          <th scope="col">Provider</th>
          <th scope="col">Model</th>
          <th scope="col">Source</th>
          <th scope="col">Limit</th>
          <th scope="col">Fallbacks</th>
          <th scope="col"><span class="sr-only">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        {props.endpoints.map((e) => (
          <tr key={e.name} data-name={e.name}>
            <th scope="row">{e.name}</th>
            <td>{e.endpoint_type}</td>
            <td>{e.model.provider}</td>
            <td>{e.model.name ?? '—'}</td>
            <td><SourceBadge source={e.source} /></td>
            <td>{limitText(e)}</td>
            <td>{e.fallbacks?.join(', ') || '—'}</td>
            <td class="row-actions">
              <a class="button" href={href('endpoints', { try: e.name })}>Try it</a>
              {e.source === 'api' && <a class="button" href={href('endpoints', { edit: e.name })}>Edit</a>}
              {e.source === 'api' && <ConfirmButton label="Delete" question={`Delete ${e.name}?`} onConfirm={() => props.onDelete(e.name)} />}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
