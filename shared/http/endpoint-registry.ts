import type { EndpointDescription } from './endpoint';

/** Every endpoint declared in this process: the source of the OpenAPI document and of CORS. */
const endpoints = new Map<string, EndpointDescription>();

export function recordEndpoint(endpoint: EndpointDescription): void {
  if (endpoints.has(endpoint.name)) throw new Error(`HTTP function "${endpoint.name}" is declared twice`);
  endpoints.set(endpoint.name, endpoint);
}

export function recordedEndpoints(): EndpointDescription[] {
  return [...endpoints.values()];
}

/** The methods served on a route, whatever its parameters are called: `{id}` and `{expertId}` are one route. */
export function methodsForRoute(route: string): string[] {
  const key = routeKey(route);
  const methods = recordedEndpoints()
    .filter((endpoint) => routeKey(endpoint.route) === key)
    .map((endpoint) => endpoint.method);
  return [...new Set([...methods, 'OPTIONS'])];
}

function routeKey(route: string): string {
  return route
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/^\/+|\/+$/g, '')
    .toLowerCase();
}
