// Runtime endpoints and routes: kept in the store, applied through core's runtimeConfig (the
// hot-reload path), refreshed from the store's change counter so every instance follows.
import { createError, type PluginApi } from '@gatehousejs/core';
import type { EndpointConfig, RouteConfig } from '@gatehousejs/core';
import type { EntryKind, ManagementStore, StoredEntry } from './store.js';
import type { Vault } from './vault.js';
import { aboutEntry } from './entry-errors.js';

export type Source = 'file' | 'api';

export interface EntryView extends Record<string, unknown> {
  readonly name: string;
  readonly source: Source;
}

const PLURAL: Record<EntryKind, 'endpoints' | 'routes'> = { endpoint: 'endpoints', route: 'routes' };

export class Entries {
  private rows = new Map<string, StoredEntry>();
  private version = -1;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly api: PluginApi<never>,
    private readonly store: () => ManagementStore,
    private readonly vault: Vault,
  ) {}

  /** Run `fn` after every earlier change and refresh of this instance. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Reload from the store when its counter moved (another instance changed something). */
  refresh(): Promise<void> {
    return this.serial(() => this.load(false));
  }

  /**
   * Catch up before a read or a change. A stored entry that no longer builds must not block
   * them (the change may be the fix): its error was logged by the refresh loop.
   */
  private catchUp(): Promise<void> {
    return this.load(false).catch(() => undefined);
  }

  /** refresh() for readers: never fails on an entry that does not build. */
  current(): Promise<void> {
    return this.serial(() => this.catchUp());
  }

  private async load(force: boolean): Promise<void> {
    const version = await this.store().version();
    if (!force && version === this.version) return;
    const [entries, secrets] = await Promise.all([this.store().entries(), this.store().secrets()]);
    this.vault.rows = new Map(secrets.map((s) => [s.name, s]));
    this.rows = new Map(entries.map((e) => [e.name, e]));
    await this.apply(this.rows);
    // Only once applied: a rejected set is tried again on the next refresh.
    this.version = version;
  }

  private apply(rows: ReadonlyMap<string, StoredEntry>): Promise<void> {
    const all = [...rows.values()];
    return this.api.runtimeConfig.set({
      endpoints: all.filter((e) => e.kind === 'endpoint').map((e) => e.body as unknown as EndpointConfig),
      routes: all.filter((e) => e.kind === 'route').map((e) => e.body as unknown as RouteConfig),
    });
  }

  /** File entries first, then the API's; listings never show a resolved secret. */
  list(kind: EntryKind): EntryView[] {
    const file = this.api.runtimeConfig.fileEntries()[PLURAL[kind]].map((e) => ({ ...e, source: 'file' as const }));
    const api = [...this.rows.values()].filter((e) => e.kind === kind).map(view);
    return this.api.redact([...file, ...api]);
  }

  get(kind: EntryKind, name: string): EntryView {
    const found = this.list(kind).find((e) => e.name === name);
    if (!found) throw notFound(kind, name);
    return found;
  }

  /** Create (`existing` false) or replace an entry: applied first (a bad one is a 400), then stored. */
  put(kind: EntryKind, body: Record<string, unknown> & { name: string }, existing: boolean): Promise<EntryView> {
    return this.serial(async () => {
      await this.catchUp();
      const name = body.name;
      this.refuseFileName(name);
      const old = this.rows.get(name);
      if (old && old.kind !== kind) throw conflict(`The name "${name}" is taken by the ${old.kind} "${name}".`);
      if (existing && !old) throw notFound(kind, name);
      if (!existing && old) throw conflict(`The ${kind} "${name}" exists: change it with PUT /api/admin/${PLURAL[kind]}/${name}.`);
      const now = this.api.clock.now();
      const row: StoredEntry = { kind, name, body, createdAt: old?.createdAt ?? now, updatedAt: now };
      const next = new Map(this.rows).set(name, row);
      await this.apply(next).catch((error: unknown) => {
        throw aboutEntry(error, this.api.id, kind, name);
      });
      try {
        const stored = existing ? await this.store().updateEntry(kind, name, body, now) : await this.store().insertEntry(kind, name, body, now);
        if (!stored) throw conflict(`The ${kind} "${name}" was ${existing ? 'removed' : 'created'} by another gateway instance meanwhile; reload and try again.`);
        await this.store().bump();
      } catch (error) {
        await this.apply(this.rows);
        throw error;
      }
      this.rows = next;
      return view(row);
    });
  }

  remove(kind: EntryKind, name: string): Promise<EntryView> {
    return this.serial(async () => {
      await this.catchUp();
      this.refuseFileName(name);
      const old = this.rows.get(name);
      if (!old || old.kind !== kind) throw notFound(kind, name);
      const next = new Map(this.rows);
      next.delete(name);
      // A route still sending traffic to this endpoint makes the change invalid: a 400 names it.
      await this.apply(next);
      await this.store().deleteEntry(kind, name);
      await this.store().bump();
      this.rows = next;
      return view(old);
    });
  }

  /** Endpoints whose options name the stored secret. */
  usersOf(secret: string): string[] {
    const ref = JSON.stringify(`$secret:${secret}`);
    const file = this.api.runtimeConfig.fileEntries().endpoints.filter((e) => JSON.stringify(e).includes(ref)).map((e) => e.name);
    const api = [...this.rows.values()].filter((e) => JSON.stringify(e.body).includes(ref)).map((e) => e.name);
    return [...file, ...api];
  }

  /** Rebuild with the current entries (a secret's value changed). */
  reapply(): Promise<void> {
    return this.apply(this.rows);
  }

  private refuseFileName(name: string): void {
    const file = this.api.runtimeConfig.fileEntries();
    const taken = file.endpoints.find((e) => e.name === name) ? 'endpoint' : file.routes.find((r) => r.name === name) ? 'route' : undefined;
    if (taken) throw conflict(`The ${taken} "${name}" comes from the config file: change it there (the API cannot override file entries).`);
  }
}

function view(e: StoredEntry): EntryView {
  return { ...e.body, name: e.name, source: 'api', created_at: new Date(e.createdAt).toISOString(), updated_at: new Date(e.updatedAt).toISOString() };
}

function conflict(message: string): Error {
  return createError('GW_ERR_BAD_REQUEST', message, { status: 409, param: 'name' });
}

function notFound(kind: EntryKind, name: string): Error {
  return createError(kind === 'endpoint' ? 'GW_ERR_ENDPOINT_NOT_FOUND' : 'GW_ERR_ROUTE_NOT_FOUND', `No ${kind} named "${name}".`, { param: 'name' });
}
