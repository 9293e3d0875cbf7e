// Saving an endpoint or a route through the management API: PUT to its name when editing, else POST.
import type { Api } from '../api';

export function saveEntry<T>(api: Api, plural: 'endpoints' | 'routes', editing: string | undefined, body: unknown): Promise<T> {
  return editing === undefined
    ? api.send<T>('POST', `/api/admin/${plural}`, body)
    : api.send<T>('PUT', `/api/admin/${plural}/${encodeURIComponent(editing)}`, body);
}
