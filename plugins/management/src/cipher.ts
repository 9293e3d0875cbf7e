// AES-256-GCM for stored secrets: a fresh 12-byte IV per encryption, and the secret's id and
// name as additional authenticated data, so a ciphertext moved to another row fails to open.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createError } from '@gatehousejs/core';
import type { MasterKey } from './master-key.js';

export interface Sealed {
  readonly ciphertext: string;
  readonly iv: string;
  readonly tag: string;
  readonly keyFingerprint: string;
}

const aad = (id: string, name: string) => Buffer.from(`gatehouse-secret:${id}:${name}`, 'utf8');

export function seal(master: MasterKey, id: string, name: string, value: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', master.key, iv);
  cipher.setAAD(aad(id, name));
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return { ciphertext: ciphertext.toString('base64'), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), keyFingerprint: master.fingerprint };
}

/** The value, or an error naming the secret (never a value) when the key differs or the row was altered. */
export function open(master: MasterKey, id: string, name: string, sealed: Sealed): string {
  if (sealed.keyFingerprint !== master.fingerprint) {
    throw createError('GW_ERR_SECRET_UNRESOLVED', `The stored secret "${name}" is encrypted under master key ${sealed.keyFingerprint}, not the configured ${master.fingerprint}.`);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', master.key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(aad(id, name));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw createError('GW_ERR_SECRET_UNRESOLVED', `The stored secret "${name}" failed its integrity check: it was altered or belongs to another row.`);
  }
}
