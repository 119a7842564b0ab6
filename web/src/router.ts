import { useCallback, useSyncExternalStore } from 'react';

/** The pages that exist. Anything else shows the funnel (home). */
export const routes = { funnel: '/', people: '/people' } as const;
export type RoutePath = (typeof routes)[keyof typeof routes];

const navigationEvent = 'lockstep:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(navigationEvent, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(navigationEvent, onChange);
  };
}

function currentPath(): RoutePath {
  const path = window.location.pathname.replace(/\/+$/, '') || '/';
  return Object.values(routes).find((route) => route === path) ?? routes.funnel;
}

/** The current page and a way to move to another one without reloading. */
export function useRoute(): [RoutePath, (path: RoutePath) => void] {
  const path = useSyncExternalStore(subscribe, currentPath);
  const navigate = useCallback((next: RoutePath) => {
    if (next === currentPath()) return;
    window.history.pushState(null, '', next);
    window.dispatchEvent(new Event(navigationEvent));
  }, []);
  return [path, navigate];
}
