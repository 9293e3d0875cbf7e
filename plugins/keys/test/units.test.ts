// The pieces on their own: key text and hashing, expiry, config resolution, the create
// request's checks, the in-memory ring, the decision per request, and the refresh loop.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import winston from 'winston';
import { isGatewayError, type RequestContext } from '@gatehousejs/core';
import { authenticate, ADMIN_PRINCIPAL, ANONYMOUS } from '../src/authenticate.js';
import { resolveSettings, type KeysConfig } from '../src/config.js';
import { parseExpiry } from '../src/expiry.js';
import { principalOf, type HashedKey } from '../src/key.js';
import { KeyRing } from '../src/keyring.js';
import type { KeyStore } from '../src/store.js';
import { KeySync } from '../src/sync.js';
import { hashKey, issuedKeyId, matchesHash, newKey } from '../src/token.js';
import { checkNewKey } from '../src/validate.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const TEAM_KEY = 'team-key-0123456789-abcdef';

function stored(fields: Partial<HashedKey> & { text: string }): HashedKey {
  const { text, ...rest } = fields;
  return { id: issuedKeyId(text) ?? 'x', hash: hashKey(text), name: 'k', owner: null, endpoints: null, limits: null, expiresAt: null, createdAt: NOW, revokedAt: null, source: 'store', ...rest };
}

function ctx(credential: string | undefined, requested = 'chat', surface: RequestContext['surface'] = 'openai'): RequestContext {
  return { credential, requested, surface } as unknown as RequestContext;
}

function refusal(fn: () => unknown): { status: number; message: string } {
  try {
    fn();
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    return { status: error.status, message: error.message };
  }
  throw new Error('expected a refusal');
}

const resolver = (env: Record<string, string>) => async (value: string, pointer: string) => {
  const ref = /^\$(\w+)$/.exec(value);
  if (!ref) return value;
  if (env[ref[1]!] === undefined) throw new Error(`${pointer} refers to the environment variable ${ref[1]}, which is not set.`);
  return env[ref[1]!]!;
};

describe('key text and hashing', () => {
  it('issues gh_<16 hex>_<43 base64url> keys whose id is readable from the text', () => {
    const a = newKey();
    const b = newKey();
    expect(a.key).to.match(/^gh_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(a.key.startsWith(`gh_${a.id}_`)).to.equal(true);
    expect(issuedKeyId(a.key)).to.equal(a.id);
    expect(a.key).to.not.equal(b.key);
    expect(issuedKeyId('sk-something-else')).to.equal(undefined);
    expect(issuedKeyId(`${a.key}x`)).to.equal(undefined);
  });

  it('keeps the SHA-256 of the whole text and compares digests', () => {
    const { key } = newKey();
    expect(hashKey(key).toString('hex')).to.equal(createHash('sha256').update(key).digest('hex'));
    expect(matchesHash(key, hashKey(key))).to.equal(true);
    // One character changed (never to itself: a random key may already end in the letter used).
    const other = key.endsWith('A') ? 'B' : 'A';
    expect(matchesHash(`${key.slice(0, -1)}${other}`, hashKey(key))).to.equal(false);
    expect(matchesHash('', hashKey(key))).to.equal(false);
  });
});

describe('expiry', () => {
  it('reads durations from now and ISO dates or date-times with a zone', () => {
    expect(parseExpiry('90m', NOW)).to.equal(NOW + 90 * 60_000);
    expect(parseExpiry('12h', NOW)).to.equal(NOW + 12 * 3_600_000);
    expect(parseExpiry('30d', NOW)).to.equal(NOW + 30 * 86_400_000);
    expect(parseExpiry('2w', NOW)).to.equal(NOW + 14 * 86_400_000);
    expect(parseExpiry('2026-12-31', NOW)).to.equal(Date.parse('2026-12-31T00:00:00Z'));
    expect(parseExpiry('2026-12-31T18:30:00+02:00', NOW)).to.equal(Date.parse('2026-12-31T16:30:00Z'));
  });

  it('refuses the rest, and durations where only a date makes sense', () => {
    for (const bad of ['soon', '30', '30y', '2026-12-31T18:00', '2026-13-45', '']) expect(parseExpiry(bad, NOW), bad).to.be.instanceOf(Error);
    expect(parseExpiry('30d', NOW, false)).to.be.instanceOf(Error);
  });
});

describe('config resolution', () => {
  it('resolves $VAR keys, hashes them and names the variable when unset', async () => {
    const raw: KeysConfig = { admin_key: '$ADMIN', keys: [{ name: 'team', key: '$TEAM', owner: 'a@b.c', endpoints: ['chat'], expires_at: '2030-01-01' }] };
    const settings = await resolveSettings(raw, resolver({ ADMIN: 'admin-key-0123456789abcdef', TEAM: TEAM_KEY }));
    expect(settings.adminKeyHash!.equals(hashKey('admin-key-0123456789abcdef'))).to.equal(true);
    expect(settings.keys).to.have.length(1);
    expect(settings.keys[0]).to.include({ id: 'config:team', name: 'team', owner: 'a@b.c', expiresAt: Date.parse('2030-01-01'), source: 'config' });
    expect(settings.keys[0]!.hash.equals(hashKey(TEAM_KEY))).to.equal(true);
    expect(settings.refreshMs).to.equal(5000);
    const unset = await resolveSettings(raw, resolver({ ADMIN: 'admin-key-0123456789abcdef' })).catch((e: Error) => e);
    expect((unset as Error).message).to.contain('/keys/keys/0/key').and.contain('TEAM');
  });

  it('refuses short keys, duplicates and bad expiry without echoing a key', async () => {
    const attempts: [KeysConfig, RegExp][] = [
      [{ keys: [{ name: 'a', key: 'short-key' }] }, /\/keys\/keys\/0\/key: must be at least 20/],
      [{ admin_key: 'short-admin' }, /\/keys\/admin_key: must be at least 20/],
      [{ keys: [{ name: 'a', key: TEAM_KEY }, { name: 'a', key: `${TEAM_KEY}2` }] }, /\/keys\/keys\/1\/name: "a" is declared twice/],
      [{ keys: [{ name: 'a', key: TEAM_KEY }, { name: 'b', key: TEAM_KEY }] }, /\/keys\/keys\/1\/key: the same key is declared twice/],
      [{ keys: [{ name: 'a', key: TEAM_KEY, expires_at: '30d' }] }, /\/keys\/keys\/0\/expires_at: must be an ISO 8601/],
    ];
    for (const [raw, message] of attempts) {
      const error = (await resolveSettings(raw, resolver({})).catch((e: Error) => e)) as Error;
      expect(error.message, JSON.stringify(raw)).to.match(message);
      expect(error.message).to.not.contain('short-key').and.not.contain(TEAM_KEY);
    }
  });
});

describe('the create request', () => {
  it('fills in what is left out and reads the expiry', () => {
    expect(checkNewKey({ name: 'n' }, NOW)).to.deep.equal({ name: 'n', owner: null, endpoints: null, limits: null, expiresAt: null });
    const full = checkNewKey({ name: 'n', owner: 'o', endpoints: ['chat'], expires_at: '1h', limits: { requests: { calls: 10, renewal_period: 'minute' } } }, NOW);
    expect(full).to.deep.include({ owner: 'o', endpoints: ['chat'], expiresAt: NOW + 3_600_000 });
  });

  it('answers a 400 naming the field', () => {
    const cases: [unknown, string][] = [
      [{}, 'name'],
      [{ name: '' }, 'name'],
      [{ name: 'n', color: 'red' }, 'color'],
      [{ name: 'n', endpoints: [] }, 'endpoints'],
      [{ name: 'n', endpoints: ['bad name!'] }, 'endpoints.0'],
      [{ name: 'n', limits: { requests: { calls: 0, renewal_period: 'minute' } } }, 'limits.requests.calls'],
      [{ name: 'n', limits: { requests: { calls: 5, renewal_period: 'fortnight' } } }, 'limits.requests.renewal_period'],
      [{ name: 'n', limits: { tokens: { renewal_period: 'day' } } }, 'limits.tokens.tokens'],
      [{ name: 'n', expires_at: 'whenever' }, 'expires_at'],
      [{ name: 'n', expires_at: '2020-01-01' }, 'expires_at'],
      [null, 'body'],
    ];
    for (const [input, field] of cases) {
      try {
        checkNewKey(input, NOW);
        expect.fail(`accepted ${JSON.stringify(input)}`);
      } catch (error) {
        expect(isGatewayError(error) && error.status, JSON.stringify(input)).to.equal(400);
        expect((error as { param?: string }).param, JSON.stringify(input)).to.equal(field);
        expect((error as Error).message).to.contain(`"${field}"`);
      }
    }
  });
});

describe('the decision per request', () => {
  const good = newKey();
  const revoked = newKey();
  const expired = newKey();
  const narrow = newKey();
  let ring: KeyRing;

  beforeEach(() => {
    ring = new KeyRing();
    ring.load([
      stored({ text: good.key, name: 'good', owner: 'team-a', limits: { requests: { calls: 5, renewal_period: 'minute' } } }),
      stored({ text: revoked.key, revokedAt: NOW - 1000 }),
      stored({ text: expired.key, expiresAt: NOW - 1 }),
      stored({ text: narrow.key, endpoints: ['emb', 'split'] }),
    ]);
  });

  it('admits anyone as anonymous while no key exists, and not once one does', () => {
    const empty = new KeyRing();
    empty.load([]);
    expect(authenticate(empty, ctx(undefined), NOW)).to.equal(ANONYMOUS);
    expect(authenticate(empty, ctx('whatever'), NOW)).to.deep.equal({ id: 'anonymous' });
    const required = new KeyRing();
    required.configure([], true);
    required.load([]);
    expect(refusal(() => authenticate(required, ctx(undefined), NOW)).status).to.equal(401);
  });

  it('returns the principal the rate-limit plugin reads, with the names the key may call', () => {
    expect(authenticate(ring, ctx(good.key), NOW)).to.deep.equal({ id: good.id, name: 'good', owner: 'team-a', endpoints: null, limits: { requests: { calls: 5, renewal_period: 'minute' } } });
    expect(principalOf(stored({ text: narrow.key, endpoints: ['emb'] }))).to.deep.equal({ id: narrow.id, name: 'k', owner: undefined, endpoints: ['emb'] });
    // A listing names no endpoint: a narrow key passes, and sees only its names (core filters).
    expect(authenticate(ring, ctx(narrow.key, ''), NOW)).to.deep.include({ id: narrow.id, endpoints: ['emb', 'split'] });
  });

  it('admits the admin key as "admin" on any name, with auth on or off, and only when one is set', () => {
    const admin = 'the-admin-key-0123456789';
    expect(authenticate(ring, ctx(admin, 'anything'), NOW, hashKey(admin))).to.equal(ADMIN_PRINCIPAL);
    expect(ADMIN_PRINCIPAL).to.deep.equal({ id: 'admin', name: 'admin', owner: undefined });
    const empty = new KeyRing();
    empty.load([]);
    expect(authenticate(empty, ctx(admin), NOW, hashKey(admin))).to.equal(ADMIN_PRINCIPAL);
    expect(refusal(() => authenticate(ring, ctx(admin), NOW))).to.deep.include({ status: 401 });
    expect(refusal(() => authenticate(ring, ctx(`${admin}x`), NOW, hashKey(admin)))).to.deep.include({ status: 401 });
    // Issued keys still decide for themselves beside an admin key.
    expect(authenticate(ring, ctx(good.key), NOW, hashKey(admin)).id).to.equal(good.id);
    expect(refusal(() => authenticate(ring, ctx(revoked.key), NOW, hashKey(admin))).message).to.contain('revoked');
  });

  it('401 for a missing key, saying how to send one on each surface', () => {
    const openai = refusal(() => authenticate(ring, ctx(undefined), NOW));
    expect(openai.status).to.equal(401);
    expect(openai.message).to.contain('Authorization: Bearer <key>').and.contain('x-api-key');
    expect(refusal(() => authenticate(ring, ctx(undefined, 'chat', 'native'), NOW)).message).to.contain("SDK's apiKey");
  });

  it('401 for unknown, revoked and expired keys, 403 off the allowed names', () => {
    const tampered = `${good.key.slice(0, -2)}xx`;
    expect(refusal(() => authenticate(ring, ctx(tampered), NOW))).to.deep.include({ status: 401 });
    expect(refusal(() => authenticate(ring, ctx('not-a-gateway-key-at-all'), NOW)).message).to.contain('Invalid API key');
    expect(refusal(() => authenticate(ring, ctx(revoked.key), NOW)).message).to.contain('revoked');
    expect(refusal(() => authenticate(ring, ctx(expired.key), NOW)).message).to.contain('expired');
    expect(refusal(() => authenticate(ring, ctx(narrow.key, 'chat'), NOW))).to.deep.include({ status: 403 });
    expect(authenticate(ring, ctx(narrow.key, 'split'), NOW).id).to.equal(narrow.id);
    for (const key of [good.key, revoked.key, expired.key, narrow.key, tampered]) {
      for (const c of [ctx(key), ctx(key, 'chat', 'native')]) {
        try {
          authenticate(ring, c, NOW);
        } catch (error) {
          expect((error as Error).message).to.not.contain(key.slice(20));
        }
      }
    }
  });

  it('finds declared keys of any shape, one comparison per declared key', async () => {
    const settings = await resolveSettings({ keys: [{ name: 'team', key: TEAM_KEY }, { name: 'other', key: `gh_0000000000000000_${'A'.repeat(43)}` }] }, resolver({}));
    ring.configure(settings.keys, false);
    expect(authenticate(ring, ctx(TEAM_KEY), NOW).id).to.equal('config:team');
    expect(authenticate(ring, ctx(`gh_0000000000000000_${'A'.repeat(43)}`), NOW).id).to.equal('config:other');
    expect(authenticate(ring, ctx(good.key), NOW).id).to.equal(good.id);
  });

  it('fails closed (503) while the store has never been read, except for declared keys', async () => {
    const cold = new KeyRing();
    expect(refusal(() => authenticate(cold, ctx(undefined), NOW)).status).to.equal(503);
    expect(refusal(() => authenticate(cold, ctx(good.key), NOW)).status).to.equal(503);
    cold.configure((await resolveSettings({ keys: [{ name: 'team', key: TEAM_KEY }] }, resolver({}))).keys, false);
    expect(authenticate(cold, ctx(TEAM_KEY), NOW).id).to.equal('config:team');
    expect(refusal(() => authenticate(cold, ctx(undefined), NOW)).status).to.equal(401);
  });
});

describe('the refresh loop', () => {
  it('keeps the keys read last while the store fails, logs it once, and recovers', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) });
    const log = winston.createLogger({ level: 'info', format: winston.format.json(), transports: [new winston.transports.Stream({ stream: sink })] });
    const key = newKey();
    let down = false;
    const rows = [stored({ text: key.key })];
    const store = { location: 'fake', all: async () => (down ? Promise.reject(new Error('connection refused')) : rows) } as unknown as KeyStore;
    const ring = new KeyRing();
    const sync = new KeySync(() => store, ring, log);
    await sync.refresh();
    expect(authenticate(ring, ctx(key.key), NOW).id).to.equal(key.id);
    down = true;
    for (let i = 0; i < 3; i++) await sync.refresh();
    expect(authenticate(ring, ctx(key.key), NOW).id).to.equal(key.id);
    expect(lines.filter((l) => l.includes('reading the key store failed'))).to.have.length(1);
    down = false;
    rows[0] = stored({ text: key.key, revokedAt: NOW });
    await sync.refresh();
    expect(refusal(() => authenticate(ring, ctx(key.key), NOW)).message).to.contain('revoked');
    expect(lines.some((l) => l.includes('key store recovered'))).to.equal(true);
  });

  it('a refresh asked for during a read gets a read that starts after it', async () => {
    let reads = 0;
    let release: () => void = () => undefined;
    const store = {
      location: 'fake',
      all: () => {
        reads++;
        return reads === 1 ? new Promise<HashedKey[]>((resolve) => (release = () => resolve([]))) : Promise.resolve([]);
      },
    } as unknown as KeyStore;
    const sync = new KeySync(() => store, new KeyRing(), winston.createLogger({ silent: true }));
    const first = sync.refresh();
    const second = sync.refresh();
    const third = sync.refresh();
    release();
    await Promise.all([first, second, third]);
    expect(reads).to.equal(2);
  });
});
