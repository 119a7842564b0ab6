import { useSyncExternalStore } from 'react';

/** The pages that exist. Anything else shows the funnel (home). */
export const routes = {
  funnel: '/',
  people: '/people',
  accounts: '/accounts',
  leadDefinition: '/lead-definition',
  newDraft: '/lead-definition/new',
  integrations: '/integrations',
  import: '/import',
  analytics: '/analytics',
  opportunities: '/opportunities',
  targets: '/targets',
  bottlenecks: '/bottlenecks',
  queue: '/queue',
  promises: '/promises',
  feedback: '/feedback',
  team: '/team',
} as const;
export type RoutePath =
  | (typeof routes)[keyof typeof routes]
  | `/people/${string}`
  | `/people?${string}`
  | `/bottlenecks?${string}`;

/** The page of one lead. */
export const leadPath = (personId: string): RoutePath => `/people/${personId}`;

/** The page the address bar names, with its parameters. */
export type Route =
  | { page: 'funnel' | 'people' | 'accounts' | 'leadDefinition' | 'newDraft' }
  | { page: 'integrations' }
  | { page: 'import' }
  | { page: 'analytics' }
  | { page: 'opportunities' }
  | { page: 'targets' }
  | { page: 'bottlenecks' }
  | { page: 'queue' | 'promises' | 'feedback' }
  | { page: 'team' }
  | { page: 'lead'; personId: string };

const navigationEvent = 'lockstep:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(navigationEvent, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(navigationEvent, onChange);
  };
}

function currentPath(): string {
  return window.location.pathname.replace(/\/+$/, '') || '/';
}

export function routeOf(path: string): Route {
  const lead = /^\/people\/([0-9a-f-]{36})$/i.exec(path);
  if (lead?.[1]) return { page: 'lead', personId: lead[1] };
  const page = (Object.keys(routes) as (keyof typeof routes)[]).find((key) => routes[key] === path);
  return { page: page ?? 'funnel' };
}

/** Moves to another page without reloading. */
export function navigate(next: RoutePath): void {
  if (next === currentPath()) return;
  window.history.pushState(null, '', next);
  window.dispatchEvent(new Event(navigationEvent));
}

/** The current page and a way to move to another one without reloading. */
export function useRoute(): [Route, (path: RoutePath) => void] {
  const path = useSyncExternalStore(subscribe, currentPath);
  return [routeOf(path), navigate];
}
