// A small history router: every screen has its own address that survives a reload. Links are plain
// <a href> elements; clicks on same-origin links are turned into history pushes.
import { useEffect, useState } from 'preact/hooks';

type Listener = () => void;
const listeners = new Set<Listener>();
const notify = () => listeners.forEach((listener) => listener());

/** Guards against leaving (e.g. an unsent recording); return a question to ask, or null. */
let leaveGuard: (() => string | null) | null = null;
export function setLeaveGuard(guard: (() => string | null) | null): void {
  leaveGuard = guard;
}
const mayLeave = () => {
  const question = leaveGuard?.();
  return !question || confirm(question);
};

const here = () => location.pathname + location.search;
let current = here();

/** Goes to `to`, asking first when something would be lost; `force` skips the question. */
export function navigate(to: string, { replace = false, force = false } = {}): void {
  if (to === here() || (!force && !mayLeave())) return;
  history[replace ? 'replaceState' : 'pushState'](null, '', to);
  current = to;
  notify();
  window.scrollTo(0, 0);
}

addEventListener('popstate', () => {
  // Back and forward ask too; staying puts the address back.
  if (!mayLeave()) return history.pushState(null, '', current);
  current = here();
  notify();
});
addEventListener('click', (event) => {
  const link = (event.target as Element | null)?.closest?.('a');
  if (
    !link ||
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey
  )
    return;
  const url = new URL(link.href, location.href);
  if (
    url.origin !== location.origin ||
    link.target ||
    link.hasAttribute('download') ||
    /^\/api(\/|$)/.test(url.pathname)
  )
    return;
  event.preventDefault();
  navigate(url.pathname + url.search);
});

export function useLocation(): { path: string; query: URLSearchParams } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((tick) => tick + 1);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  return { path: location.pathname, query: new URLSearchParams(location.search) };
}

/** Matches `/sessions/:id` style patterns; returns the parameters or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const names: string[] = [];
  const regex = new RegExp(
    `^${pattern.replace(/:(\w+)/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    })}/?$`,
  );
  const found = regex.exec(path);
  if (!found) return null;
  return Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(found[index + 1]!)]));
}
