// The admin key and the routes it guards: POST/GET /api/keys, GET/DELETE /api/keys/{id} (also
// under /api/admin/keys, beside the management API's routes). As the `admin-guard` store it also
// guards the usage plugin's /api/usage/* and /metrics. Key changes go to the audit log when a
// plugin keeps one (the management plugin's `audit` store).
import { createError, type AdminGuard, type PluginApi, type PluginHttpRequest, type PluginRoute } from '@gatehousejs/core';
import { publicView } from './key.js';
import type { KeyService } from './service.js';
import type { KeyAudit } from './audit.js';
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

const PREFIXES = ['/api/keys', '/api/admin/keys'];

export function registerAdminRoutes(api: PluginApi<never>, admin: AdminKey, keys: KeyService, audit: KeyAudit): void {
  const view = (info: Parameters<typeof publicView>[0]) => publicView(info, Date.now());
  const route = (method: PluginRoute['method'], suffix: string, handler: PluginRoute['handler']) => {
    for (const prefix of PREFIXES) {
      api.http.route({
        method,
        path: `${prefix}${suffix}`,
        absolute: true,
        handler(request) {
          admin.require(request.headers);
          return handler(request);
        },
      });
    }
  };

  route('POST', '', async (request) => {
    const { key, info } = await keys.create(request.body);
    request.log.info('keys: key created', { key_id: info.id, name: info.name });
    await audit('admin', 'key.create', info);
    return { status: 201, headers: { 'cache-control': 'no-store' }, body: { ...view(info), key } };
  });
  route('GET', '', async () => ({ body: { keys: (await keys.list()).map(view) } }));
  route('GET', '/:id', async (request) => ({ body: view(await keys.get(request.params.id!)) }));
  route('DELETE', '/:id', async (request) => {
    const info = await keys.revoke(request.params.id!);
    request.log.info('keys: key revoked', { key_id: info.id, name: info.name });
    await audit('admin', 'key.revoke', info);
    return { body: view(info) };
  });
}
