// Usage records name a caller by key id (16 hex digits for an issued key); the keys API knows
// the names operators gave them. Without the keys plugin the ids stand alone.
import type { Api } from '../api';
import { useLoad } from '../components/use-load';

export type KeyLabel = (id: string) => string;

interface KeyList {
  readonly keys: readonly { readonly id: string; readonly name: string | null }[];
}

export function useKeyLabel(api: Api, refresh: number): KeyLabel {
  const names = useLoad(async () => {
    try {
      const list = await api.get<KeyList>('/api/keys');
      return new Map(list.keys.filter((k) => k.name).map((k) => [k.id, k.name!]));
    } catch {
      return new Map<string, string>(); // no keys API here: ids only
    }
  }, [api, refresh]);
  return (id) => {
    const name = names.data?.get(id);
    // A declared key's id already says its name (config:<name>).
    return name && id !== `config:${name}` ? `${name} (${id})` : id;
  };
}
