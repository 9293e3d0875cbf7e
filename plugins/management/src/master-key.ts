// The master key that encrypts stored secrets: 32 bytes, given as base64 by GATEHOUSE_MASTER_KEY
// or in management.master_key_file. Its fingerprint (never the key) is stored beside each
// ciphertext, so a row encrypted under another key is recognised rather than mis-decrypted.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createError } from '@gatehousejs/core';

export const MASTER_KEY_ENV = 'GATEHOUSE_MASTER_KEY';
export const HOW_TO_SET =
  `set ${MASTER_KEY_ENV} to 32 random bytes in base64 (openssl rand -base64 32) or management.master_key_file to a file holding them`;

export interface MasterKey {
  readonly key: Buffer;
  /** First 16 hex digits of SHA-256 over the key. */
  readonly fingerprint: string;
}

export function parseMasterKey(text: string, source: string): MasterKey {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw createError('GW_ERR_CONFIG_INVALID', `The master key from ${source} must be 32 bytes in base64 (got ${key.length} bytes): ${HOW_TO_SET}.`);
  return { key, fingerprint: createHash('sha256').update(key).digest('hex').slice(0, 16) };
}

export async function readMasterKeyFile(file: string): Promise<MasterKey> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw createError('GW_ERR_CONFIG_INVALID', `Cannot read the master key file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  return parseMasterKey(text, file);
}
