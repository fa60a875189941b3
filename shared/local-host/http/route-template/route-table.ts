/** Many routes, matched by (method, path), in the order the host tries them. */

import { Route } from './match';
import { compareRoutePrecedence } from './precedence';
import { PathContext } from './request-path';
import type { CompiledRoute, CompileRouteOptions, RouteParams } from './template';

export interface RouteEntry<T> {
  /** The full template, route prefix included (see `joinRoutePrefix`). */
  template: string;
  /** Allowed methods (case-insensitive); `null`, `undefined` or empty means any method. */
  methods?: readonly string[] | null;
  value: T;
}

export type RouteMatch<T> =
  | { kind: 'match'; value: T; params: RouteParams; template: string }
  /** A route matched the path but none of them allows the method. */
  | { kind: 'method-not-allowed'; allowedMethods: string[] }
  | { kind: 'not-found' };

export interface RouteTableOptions extends CompileRouteOptions {
  /**
   * `precedence` (default): ASP.NET Core's route precedence (literal > constrained parameter >
   * parameter > constrained catch-all > catch-all, segment by segment; then fewer optional
   * parameters; then registration order).
   * `registration`: first registered route that matches, which is what the Functions host's
   * `RouteCollection` actually does with its function routes.
   */
  order?: 'precedence' | 'registration';
}

interface TableRoute<T> {
  route: Route;
  methods: Set<string> | null;
  methodList: string[];
  value: T;
  index: number;
}

/** Many routes, matched by (method, path). Registration throws on an invalid template. */
export class RouteTable<T> {
  private readonly entries: TableRoute<T>[] = [];
  private sorted: TableRoute<T>[] | null = [];
  private readonly options: RouteTableOptions;

  constructor(entries: Iterable<RouteEntry<T>> = [], options: RouteTableOptions = {}) {
    this.options = options;
    for (const entry of entries) this.add(entry);
  }

  add(entry: RouteEntry<T>): CompiledRoute {
    const route = new Route(entry.template, this.options);
    const methodList = [...new Set((entry.methods ?? []).map((method) => method.toUpperCase()))];
    this.entries.push({
      route,
      methods: methodList.length ? new Set(methodList) : null,
      methodList,
      value: entry.value,
      index: this.entries.length,
    });
    this.sorted = null;
    return route;
  }

  get size(): number {
    return this.entries.length;
  }

  /** The routes in the order they are tried. */
  routes(): { template: string; methods: string[] | null; value: T }[] {
    return this.ordered().map((entry) => ({
      template: entry.route.template,
      methods: entry.methods ? [...entry.methodList] : null,
      value: entry.value,
    }));
  }

  match(method: string, path: string): RouteMatch<T> {
    const context = new PathContext(path);
    const upper = method.toUpperCase();
    let allowed: Set<string> | null = null;
    for (const entry of this.ordered()) {
      const params = entry.route.matchContext(context);
      if (!params) continue;
      if (!entry.methods || entry.methods.has(upper)) {
        return { kind: 'match', value: entry.value, params, template: entry.route.template };
      }
      allowed ??= new Set();
      for (const m of entry.methodList) allowed.add(m);
    }
    return allowed ? { kind: 'method-not-allowed', allowedMethods: [...allowed] } : { kind: 'not-found' };
  }

  private ordered(): TableRoute<T>[] {
    if (!this.sorted) {
      const sorted = [...this.entries];
      if (this.options.order !== 'registration') {
        sorted.sort((a, b) => compareRoutePrecedence(a.route, b.route) || a.index - b.index);
      }
      this.sorted = sorted;
    }
    return this.sorted;
  }
}
