// Load something from the API when a page opens, and again on reload(), which resolves once the
// new answer is on screen (so "Saved" never shows beside the old list). The last answer stays
// on screen while a reload is in flight; an answer overtaken by a newer call is dropped.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: Error | undefined;
  /** A read is on its way (the data shown may be the one before it). */
  readonly loading: boolean;
  readonly reload: () => Promise<void>;
}

export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const latest = useRef(0);
  const reload = useCallback(async () => {
    const ticket = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await load();
      if (ticket === latest.current) setState({ data, loading: false });
    } catch (e) {
      if (ticket === latest.current) setState((s) => ({ data: s.data, error: e as Error, loading: false }));
    }
  }, deps);
  useEffect(() => {
    void reload();
    // Leaving the page drops whatever is still on its way.
    return () => {
      latest.current++;
    };
  }, [reload]);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
