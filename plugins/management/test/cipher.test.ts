// AES-256-GCM sealing: a fresh IV per write, the id and name bound as additional data, so an
// altered or swapped ciphertext fails its check; a row under another master key is named.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { open, seal } from '../src/cipher.js';
import { parseMasterKey } from '../src/master-key.js';

const key = () => parseMasterKey(randomBytes(32).toString('base64'), 'test');

describe('secret sealing', () => {
  const master = key();

  it('opens what it sealed, with a new IV every time and no plaintext in the row', () => {
    const a = seal(master, 'id-1', 'prod', 'sk-value-1234567890');
    const b = seal(master, 'id-1', 'prod', 'sk-value-1234567890');
    expect(a.iv).to.not.equal(b.iv);
    expect(Buffer.from(a.iv, 'base64')).to.have.length(12);
    expect(JSON.stringify(a)).to.not.contain('sk-value');
    expect(a.keyFingerprint).to.equal(master.fingerprint);
    expect(open(master, 'id-1', 'prod', a)).to.equal('sk-value-1234567890');
  });

  it('detects a tampered ciphertext or tag', () => {
    const sealed = seal(master, 'id-1', 'prod', 'sk-value-1234567890');
    const bytes = Buffer.from(sealed.ciphertext, 'base64');
    bytes[0]! ^= 1;
    expect(() => open(master, 'id-1', 'prod', { ...sealed, ciphertext: bytes.toString('base64') })).to.throw('failed its integrity check');
    expect(() => open(master, 'id-1', 'prod', { ...sealed, tag: randomBytes(16).toString('base64') })).to.throw('failed its integrity check');
  });

  it('refuses a ciphertext moved to another secret (id and name are bound)', () => {
    const sealed = seal(master, 'id-1', 'prod', 'sk-value-1234567890');
    expect(() => open(master, 'id-2', 'prod', sealed)).to.throw('failed its integrity check');
    expect(() => open(master, 'id-1', 'staging', sealed)).to.throw('failed its integrity check');
  });

  it('names the key a row was sealed under when it is not the configured one', () => {
    const other = key();
    const sealed = seal(other, 'id-1', 'prod', 'v');
    expect(() => open(master, 'id-1', 'prod', sealed)).to.throw(`master key ${other.fingerprint}, not the configured ${master.fingerprint}`);
  });

  it('takes only 32-byte keys and says how to make one', () => {
    expect(() => parseMasterKey(randomBytes(16).toString('base64'), 'GATEHOUSE_MASTER_KEY')).to.throw('openssl rand -base64 32');
  });
});
