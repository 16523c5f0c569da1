// Loads data for a page and reloads it on demand; a stale answer never overwrites a newer one.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  reload(): void;
  set(data: T): void;
}

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const call = ++latest.current;
    load().then(
      (value) => {
        if (call !== latest.current) return;
        setData(value);
        setError(null);
      },
      (caught) => call === latest.current && setError(caught),
    );
    // eslint-style exhaustive deps are the caller's: `deps` says when to load again.
  }, [...deps, tick]);
  return { data, error, reload: useCallback(() => setTick((n) => n + 1), []), set: setData };
}
