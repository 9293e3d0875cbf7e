// The management API under /api/admin/: endpoints and routes (file and API entries, the API's
// changeable), secrets (write-only values) and the audit log. Every route needs the admin key.
import { createError, type AdminGuard, type PluginApi, type PluginHttpRequest, type PluginHttpResponse } from '@gatehousejs/core';
import type { AuditFn } from './audit.js';
import type { Entries } from './entries.js';
import type { EntryKind, ManagementStore } from './store.js';
import { checkEndpoint, checkNoLiteralSecrets, checkRoute, checkSecretCreate, checkSecretRotate, badField, type Entry } from './validate.js';
import { secretView, type Vault } from './vault.js';

const ACTOR = 'admin';
const NO_STORE = { 'cache-control': 'no-store' };

export interface RouteDeps {
  readonly api: PluginApi<never>;
  readonly entries: Entries;
  readonly vault: Vault;
  readonly audit: AuditFn;
  readonly store: () => ManagementStore;
}

type Handler = (request: PluginHttpRequest) => Promise<PluginHttpResponse>;

function route(deps: RouteDeps, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, handler: Handler): void {
  deps.api.http.route({
    method,
    path: `/api/admin/${path}`,
    absolute: true,
    async handler(request) {
      const guard = deps.api.stores.has('admin-guard') ? deps.api.stores.get<AdminGuard>('admin-guard') : undefined;
      if (!guard?.require) throw createError('GW_ERR_FORBIDDEN', 'The management API needs the keys plugin and its admin key (keys.admin_key in the config).');
      guard.require(request.headers);
      const reply = await handler(request);
      return { ...reply, headers: { ...NO_STORE, ...reply.headers } };
    },
  });
}

function entryRoutes(deps: RouteDeps, kind: EntryKind, plural: 'endpoints' | 'routes'): void {
  const { entries, audit } = deps;
  const check = (body: unknown): Entry => {
    if (kind === 'route') return checkRoute(body);
    const endpoint = checkEndpoint(body);
    checkNoLiteralSecrets(endpoint.model.config);
    return endpoint;
  };
  // What the audit log keeps of an entry: its shape, not its options.
  const summary = (e: Entry) => (kind === 'endpoint' ? { endpoint_type: e.endpoint_type, model: { ...(e.model as object), config: undefined } } : { destinations: e.destinations });

  // Reads catch up with other instances' changes first (one counter query when nothing moved).
  route(deps, 'GET', plural, async () => {
    await entries.current();
    return { body: { [plural]: entries.list(kind) } };
  });
  route(deps, 'GET', `${plural}/:name`, async (request) => {
    await entries.current();
    return { body: entries.get(kind, request.params.name!) };
  });
  route(deps, 'POST', plural, async (request) => {
    const body = check(request.body);
    const created = await entries.put(kind, body, false);
    await audit(ACTOR, `${kind}.create`, body.name, summary(body));
    return { status: 201, body: deps.api.redact(created) };
  });
  route(deps, 'PUT', `${plural}/:name`, async (request) => {
    const name = request.params.name!;
    const given = (request.body ?? {}) as Record<string, unknown>;
    if (typeof given === 'object' && given.name !== undefined && given.name !== name) throw badField('name', `must be "${name}" (the path's name) or left out`);
    const body = check(typeof given === 'object' && !Array.isArray(given) ? { ...given, name } : given);
    const updated = await entries.put(kind, body, true);
    await audit(ACTOR, `${kind}.update`, name, summary(body));
    return { body: deps.api.redact(updated) };
  });
  route(deps, 'DELETE', `${plural}/:name`, async (request) => {
    const removed = await entries.remove(kind, request.params.name!);
    await audit(ACTOR, `${kind}.delete`, removed.name);
    return { body: { ...deps.api.redact(removed), deleted: true } };
  });
}

function secretRoutes(deps: RouteDeps): void {
  const { entries, vault, audit } = deps;
  route(deps, 'GET', 'secrets', async () => {
    await entries.current();
    return { body: { secrets: [...vault.rows.values()].map(secretView) } };
  });
  route(deps, 'POST', 'secrets', async (request) => {
    const { name, value } = checkSecretCreate(request.body);
    const row = await entries.serial(async () => {
      const created = await vault.create(name, value);
      await deps.store().bump();
      return created;
    });
    await audit(ACTOR, 'secret.create', name, { key_fingerprint: row.keyFingerprint });
    return { status: 201, body: secretView(row) };
  });
  route(deps, 'PUT', 'secrets/:name', async (request) => {
    const { value } = checkSecretRotate(request.body);
    const name = request.params.name!;
    const row = await entries.serial(async () => {
      const rotated = await vault.rotate(name, value);
      await deps.store().bump();
      // Endpoints that use it are rebuilt with the new value (its stamp moved).
      await entries.reapply();
      return rotated;
    });
    await audit(ACTOR, 'secret.rotate', name, { key_fingerprint: row.keyFingerprint });
    return { body: secretView(row) };
  });
  route(deps, 'DELETE', 'secrets/:name', async (request) => {
    const name = request.params.name!;
    const row = await entries.serial(async () => {
      const users = entries.usersOf(name);
      if (users.length > 0) throw createError('GW_ERR_BAD_REQUEST', `The secret "${name}" is used by ${users.map((u) => `"${u}"`).join(', ')}: change those first.`, { status: 409, param: 'name' });
      const removed = await vault.remove(name);
      await deps.store().bump();
      return removed;
    });
    await audit(ACTOR, 'secret.delete', name);
    return { body: { ...secretView(row), deleted: true } };
  });
}

const MAX_PAGE = 500;

function auditRoute(deps: RouteDeps): void {
  route(deps, 'GET', 'audit', async (request) => {
    const limitText = request.query.limit;
    const limit = limitText === undefined ? 100 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw badField('limit', `must be an integer from 1 to ${MAX_PAGE}`);
    const cursor = typeof request.query.before === 'string' ? parseCursor(request.query.before) : undefined;
    const page = await deps.store().auditPage(limit, cursor);
    const last = page.length === limit ? page[page.length - 1] : undefined;
    return {
      body: {
        entries: page.map((e) => ({ id: e.id, at: new Date(e.at).toISOString(), actor: e.actor, action: e.action, target: e.target, detail: e.detail })),
        next: last ? `${last.at}.${last.id}` : null,
      },
    };
  });
}

function parseCursor(text: string): { at: number; id: string } {
  const match = /^(\d+)\.(.+)$/.exec(text);
  if (!match) throw badField('before', 'must be the "next" value of an earlier page');
  return { at: Number(match[1]), id: match[2]! };
}

export function registerRoutes(deps: RouteDeps): void {
  entryRoutes(deps, 'endpoint', 'endpoints');
  entryRoutes(deps, 'route', 'routes');
  secretRoutes(deps);
  auditRoute(deps);
}
