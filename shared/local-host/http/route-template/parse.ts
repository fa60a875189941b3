/**
 * Parses a route template with ASP.NET Core's syntax and rules into segments and parameters,
 * throwing a {@link RouteTemplateError} that names the template and what is wrong with it.
 */

import { resolveConstraint } from './constraints';
import { type Constraint, isOmissible, type Parameter, type ParsedTemplate, type Part, RouteTemplateError, type Segment } from './template';

const INVALID_NAME_CHARS = /[/{}?*]/;

export function parseTemplate(template: string): ParsedTemplate {
  if (typeof template !== 'string') throw new RouteTemplateError(String(template), 'the template must be a string');
  const fail = (reason: string): never => {
    throw new RouteTemplateError(template, reason);
  };

  let text = template;
  if (text.startsWith('~/')) text = text.slice(2);
  else if (text.startsWith('/')) text = text.slice(1);
  else if (text.startsWith('~')) fail("a template may start with '~/' but not with '~' alone");

  const rawSegments: Part[][] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '/') fail('it contains an empty segment (two consecutive slashes)');
    const parts: Part[] = [];
    while (i < text.length && text[i] !== '/') {
      if (text[i] === '{' && text[i + 1] !== '{') {
        i = readParameter(text, i, parts, fail);
      } else {
        i = readLiteral(text, i, parts, fail);
      }
    }
    rawSegments.push(parts);
    if (i < text.length) i++; // the separator; a single trailing slash is allowed
  }

  const segments: Segment[] = [];
  const parameters: Parameter[] = [];
  const seen = new Set<string>();
  for (const parts of rawSegments) {
    for (const part of parts) {
      if (part.kind !== 'parameter') continue;
      const key = part.parameter.name.toLowerCase();
      if (seen.has(key)) fail(`the parameter name '${part.parameter.name}' appears more than once`);
      seen.add(key);
      parameters.push(part.parameter);
    }
    segments.push(buildSegment(parts, fail));
  }

  // A catch-all must be the last part of the last segment.
  segments.forEach((segment, index) => {
    if (segment.kind === 'catch-all' && index !== segments.length - 1) {
      fail(`the catch-all parameter '${segment.parameter.name}' must be the last segment`);
    }
  });

  // An optional parameter may only be followed by optional parameters, parameters with defaults
  // or a catch-all: otherwise a request could never leave it out.
  let sawOptional: string | undefined;
  for (const segment of segments) {
    if (sawOptional !== undefined && !isOmissible(segment)) {
      fail(`the optional parameter '${sawOptional}' must be at the end of the template (only optional parameters, parameters with defaults or a catch-all may follow it)`);
    }
    if (segment.kind === 'parameter' && segment.parameter.optional) sawOptional ??= segment.parameter.name;
  }

  return { segments, parameters };
}

function readLiteral(text: string, start: number, parts: Part[], fail: (reason: string) => never): number {
  let value = '';
  let i = start;
  while (i < text.length && text[i] !== '/') {
    const c = text[i];
    if (c === '{') {
      if (text[i + 1] === '{') {
        value += '{';
        i += 2;
        continue;
      }
      if (i + 1 >= text.length) fail("it has an unmatched '{'");
      break; // a parameter starts
    }
    if (c === '}') {
      if (text[i + 1] === '}') {
        value += '}';
        i += 2;
        continue;
      }
      fail("it has an unmatched '}' (write '}}' for a literal brace)");
    }
    value += c;
    i++;
  }
  if (value.includes('?')) fail(`the literal '${value}' contains '?', which is not allowed in a route`);
  const last = parts[parts.length - 1];
  if (last?.kind === 'literal') last.text += value;
  else parts.push({ kind: 'literal', text: value });
  return i;
}

function readParameter(text: string, start: number, parts: Part[], fail: (reason: string) => never): number {
  let i = start + 1;
  for (;;) {
    if (i >= text.length) fail("it has an unmatched '{' (a parameter is not closed)");
    const c = text[i];
    if (c === '{') {
      if (text[i + 1] === '{') {
        i += 2;
        continue;
      }
      fail("a parameter contains an unescaped '{' (write '{{' inside a parameter, e.g. in a regex)");
    }
    if (c === '}') {
      if (text[i + 1] === '}') {
        i += 2;
        continue;
      }
      break;
    }
    i++;
  }
  const inner = text
    .slice(start + 1, i)
    .replace(/\}\}/g, '}')
    .replace(/\{\{/g, '{');
  parts.push({ kind: 'parameter', parameter: parseParameter(inner, fail) });
  return i + 1;
}

function parseParameter(inner: string, fail: (reason: string) => never): Parameter {
  if (inner.length === 0) fail("it has an empty parameter '{}'");
  let start = 0;
  let end = inner.length;
  let catchAll = false;
  if (inner.startsWith('**')) {
    catchAll = true;
    start = 2;
  } else if (inner.startsWith('*')) {
    catchAll = true;
    start = 1;
  }
  let optional = false;
  if (end > start && inner[end - 1] === '?') {
    optional = true;
    end--;
  }
  if (catchAll && optional) fail(`the catch-all parameter '{${inner}}' cannot be optional (a catch-all already matches an empty value)`);

  // The name runs to the first ':' or '=' (a leading one belongs to the name, as in ASP.NET Core).
  let pos = start;
  while (pos < end && !((inner[pos] === ':' || inner[pos] === '=') && pos !== start)) pos++;
  const name = inner.slice(start, pos);
  if (name.length === 0 || INVALID_NAME_CHARS.test(name)) {
    fail(`'${name}' is not a valid parameter name (it must be non-empty and contain none of / { } ? *)`);
  }

  const constraints: Constraint[] = [];
  while (pos < end && inner[pos] === ':') {
    pos++;
    const nameStart = pos;
    while (pos < end && inner[pos] !== ':' && inner[pos] !== '=' && inner[pos] !== '(') pos++;
    const constraintName = inner.slice(nameStart, pos);
    let args: string | undefined;
    if (pos < end && inner[pos] === '(') {
      // The argument list ends at the first ')' that is followed by the end, ':' or '='.
      let close = -1;
      for (let k = pos + 1; k < end; k++) {
        if (inner[k] === ')' && (k + 1 === end || inner[k + 1] === ':' || inner[k + 1] === '=')) {
          close = k;
          break;
        }
      }
      if (close === -1) fail(`the constraint '${inner.slice(nameStart, end)}' of parameter '${name}' has no closing ')'`);
      args = inner.slice(pos + 1, close);
      pos = close + 1;
    }
    if (constraintName.length === 0 && args === undefined) continue; // '::' is ignored, as in ASP.NET Core
    constraints.push(resolveConstraint(constraintName, args, name, fail));
  }

  let defaultValue: string | undefined;
  if (pos < end && inner[pos] === '=') {
    defaultValue = inner.slice(pos + 1, end);
    pos = end;
  }
  if (optional && defaultValue !== undefined) {
    fail(`the parameter '${name}' cannot be both optional and have a default value`);
  }
  return { name, catchAll, optional, defaultValue, constraints };
}

function buildSegment(parts: Part[], fail: (reason: string) => never): Segment {
  if (parts.length === 1) {
    const part = parts[0];
    if (part.kind === 'literal') return { kind: 'literal', lower: part.text.toLowerCase() };
    return part.parameter.catchAll ? { kind: 'catch-all', parameter: part.parameter } : { kind: 'parameter', parameter: part.parameter };
  }
  const shown = parts.map((part) => (part.kind === 'literal' ? part.text : `{${part.parameter.name}}`)).join('');
  let optionalTail = false;
  let separator = '';
  parts.forEach((part, index) => {
    if (part.kind !== 'parameter') return;
    const { parameter } = part;
    if (parameter.catchAll) fail(`the segment '${shown}' has a catch-all parameter, which must be a segment of its own`);
    if (index > 0 && parts[index - 1].kind === 'parameter') {
      fail(`the segment '${shown}' has two consecutive parameters; they must be separated by a literal`);
    }
    if (parameter.optional) {
      if (index !== parts.length - 1) {
        fail(`in the segment '${shown}' the optional parameter '${parameter.name}' must be the last part`);
      }
      const previous = parts[index - 1];
      if (previous.kind !== 'literal' || previous.text !== '.') {
        fail(`in the segment '${shown}' the optional parameter '${parameter.name}' must be preceded by a period (.)`);
      }
      optionalTail = true;
      separator = '.';
    }
  });
  return {
    kind: 'complex',
    parts: parts.map((part) => (part.kind === 'literal' ? { kind: 'literal', lower: part.text.toLowerCase() } : part)),
    optionalTail,
    separator,
  };
}
