/**
 * HTTP route templates as the Azure Functions host matches them.
 *
 * The host registers every HTTP trigger as an ASP.NET Core route (`{routePrefix}/{route}`) whose
 * HTTP methods are a route constraint. This module parses those templates with ASP.NET Core's
 * syntax and rules (`parse.ts`, `constraints.ts`), precompiles each one into per-segment matchers
 * and matches request paths the way ASP.NET Core's `RoutePatternMatcher` does (`match.ts`,
 * `request-path.ts`, `decode.ts`), and orders many routes (`precedence.ts`, `route-table.ts`):
 *
 * - literal segments compare case-insensitively;
 * - `{name}`, `{name?}` (trailing only), `{name=default}`, `{*rest}` / `{**rest}` (last segment,
 *   may be empty), complex segments such as `{file}.{ext}` or `{file}.{ext?}`;
 * - inline constraints, chainable: `int long bool datetime decimal double float guid alpha
 *   required minlength(n) maxlength(n) length(n) length(min,max) min(n) max(n) range(min,max)
 *   regex(expr)`. `regex` is case-insensitive and NOT anchored (ASP.NET calls `Regex.IsMatch`),
 *   so write `^...$` to match the whole value;
 * - one trailing slash is ignored, an empty segment (`//`) never matches;
 * - each segment is percent-decoded the way Kestrel decodes a path: everything except `%2F`,
 *   which stays encoded inside its segment (set `decodeEncodedSlash` to turn it into `/`).
 *
 * Invalid templates throw a {@link RouteTemplateError} naming the template, at registration time.
 */

export { compileRoute } from './match';
export { compareRoutePrecedence } from './precedence';
export { RouteTable, type RouteEntry, type RouteMatch, type RouteTableOptions } from './route-table';
export { type CompiledRoute, type CompileRouteOptions, joinRoutePrefix, type RouteParams, RouteTemplateError } from './template';
