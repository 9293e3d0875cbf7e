// Watching the config file. Editors often replace the file (write + rename), so the
// directory is watched and events are filtered by name and debounced.
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

export function watchConfigFile(filepath: string, onChange: () => void, debounceMs = 150): () => void {
  const dir = path.dirname(filepath);
  const base = path.basename(filepath);
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, { persistent: false }, (_event, name) => {
      if (name !== null && name.toString() !== base) return;
      clearTimeout(timer);
      timer = setTimeout(onChange, debounceMs);
    });
  } catch {
    return () => undefined;
  }
  return () => {
    clearTimeout(timer);
    watcher?.close();
  };
}
