/**
 * The Routes view's tree, from the language server's routes: one group per blueprint (the app's
 * own routes first), each route under it as "rule — METHODS → view()". Pure: no `vscode`.
 */
import type { RouteInfo } from './protocol';

export interface RouteGroup {
  /** The blueprint's name, or undefined for routes on the app itself. */
  blueprint?: string;
  routes: RouteInfo[];
}

export function groupRoutes(routes: RouteInfo[]): RouteGroup[] {
  const groups = new Map<string, RouteGroup>();
  for (const r of routes) {
    const key = r.blueprint ?? '';
    if (!groups.has(key)) groups.set(key, { blueprint: r.blueprint, routes: [] });
    groups.get(key)!.routes.push(r);
  }
  for (const g of groups.values()) g.routes.sort((a, b) => a.rule.localeCompare(b.rule) || a.methods.join().localeCompare(b.methods.join()));
  return [...groups.values()].sort((a, b) => (a.blueprint === undefined ? -1 : b.blueprint === undefined ? 1 : a.blueprint.localeCompare(b.blueprint)));
}

/** "GET, POST → create_todo()" */
export function routeDescription(r: RouteInfo): string {
  return `${r.methods.join(', ')} → ${r.endpoint.split('.').pop()}()`;
}
