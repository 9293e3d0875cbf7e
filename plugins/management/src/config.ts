// The `management` config block: where the master key comes from and how often to look for
// other instances' changes.
import path from 'node:path';
import type { PluginApi } from '@gatehousejs/core';
import { MASTER_KEY_ENV, parseMasterKey, readMasterKeyFile, type MasterKey } from './master-key.js';

export interface ManagementConfig {
  readonly master_key_file?: string;
  readonly refresh_seconds?: number;
}

export const DEFAULT_REFRESH_SECONDS = 2;

/** The key file when configured, else GATEHOUSE_MASTER_KEY, else none (secrets are refused). */
export async function loadMasterKey(api: PluginApi<never>, config: ManagementConfig | undefined): Promise<MasterKey | undefined> {
  if (config?.master_key_file) return readMasterKeyFile(path.resolve(api.configDir, config.master_key_file));
  const text = await api.resolveSecret(`$${MASTER_KEY_ENV}`, '/management/master_key').catch(() => undefined);
  return text === undefined ? undefined : parseMasterKey(text, MASTER_KEY_ENV);
}
