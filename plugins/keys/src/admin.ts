// The admin key and the routes it guards: POST/GET /api/keys, GET/DELETE /api/keys/{id}. As the
// `admin-guard` store it also guards the usage plugin's /api/usage/* and /metrics.
import { createError, type AdminGuard, type PluginApi, type PluginHttpRequest } from '@gatehousejs/core';
import { publicView } from './key.js';
import type { KeyService } from './service.js';
import { matchesHash } from './token.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

export class AdminKey implements AdminGuard {
  /** SHA-256 of the admin key; undefined: none configured. */
  hash: Buffer | undefined;

  /** Operator routes of other plugins: open while no admin key is set (as before keys existed). */
  check(headers: PluginHttpRequest['headers']): void {
    if (this.hash) this.require(headers);
  }

  /** The key-management routes: never open. */
  require(headers: PluginHttpRequest['headers']): void {
    if (!this.hash) {
      throw createError('GW_ERR_FORBIDDEN', 'The key admin API is off: set keys.admin_key in the config (for example admin_key: $GATEHOUSE_ADMIN_KEY) and send it as "Authorization: Bearer <admin key>".');
    }
    const header = headers.authorization;
    const presented = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    if (presented === undefined) throw createError('GW_ERR_UNAUTHENTICATED', 'Missing admin key: send it as "Authorization: Bearer <admin key>".');
    if (!matchesHash(presented, this.hash)) throw createError('GW_ERR_UNAUTHENTICATED', 'Invalid admin key.');
  }
}

export function registerAdminRoutes(api: PluginApi<never>, admin: AdminKey, keys: KeyService): void {
  const view = (info: Parameters<typeof publicView>[0]) => publicView(info, Date.now());

  api.http.route({
    method: 'POST',
    path: '/api/keys',
    absolute: true,
    async handler(request) {
      admin.require(request.headers);
      const { key, info } = await keys.create(request.body);
      request.log.info('keys: key created', { key_id: info.id, name: info.name });
      return { status: 201, headers: { 'cache-control': 'no-store' }, body: { ...view(info), key } };
    },
  });

  api.http.route({
    method: 'GET',
    path: '/api/keys',
    absolute: true,
    async handler(request) {
      admin.require(request.headers);
      return { body: { keys: (await keys.list()).map(view) } };
    },
  });

  api.http.route({
    method: 'GET',
    path: '/api/keys/:id',
    absolute: true,
    async handler(request) {
      admin.require(request.headers);
      return { body: view(await keys.get(request.params.id!)) };
    },
  });

  api.http.route({
    method: 'DELETE',
    path: '/api/keys/:id',
    absolute: true,
    async handler(request) {
      admin.require(request.headers);
      const info = await keys.revoke(request.params.id!);
      request.log.info('keys: key revoked', { key_id: info.id, name: info.name });
      return { body: view(info) };
    },
  });
}
