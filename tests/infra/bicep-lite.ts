/**
 * A small reader for the subset of Bicep this project writes, used by the infra tests where no
 * Bicep compiler is available. It is not a compiler: it finds the declarations (param, var,
 * resource, module, output), the string literals, and the keys of object literals, and reports the
 * errors a compiler would also report for unbalanced brackets, unterminated strings or comments.
 *
 * The scanner produces `code`: the source with comments blanked and the literal text of strings
 * replaced by MASK characters, same length as the source, so positions found in `code` index the source too.
 * Interpolations (`${...}`) stay visible as code, written `$(...)` so brackets stay balanced.
 */
import { readFileSync } from 'node:fs';

export interface StringLiteral {
  start: number; // index of the opening quote
  end: number; // index just past the closing quote
  value: string; // decoded text; each interpolation appears as ${…}
  interpolated: boolean;
}

export interface Scan {
  src: string;
  code: string;
  strings: StringLiteral[];
  errors: string[];
}

const OPEN = '([{';
/** Stands in `code` for each character of string literal text. */
export const MASK = '\u0001';
const CLOSE = ')]}';

function lineOf(src: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < src.length; i++) if (src[i] === '\n') line++;
  return line;
}

export function scan(src: string): Scan {
  const out = src.split('');
  const strings: StringLiteral[] = [];
  const errors: string[] = [];
  const brackets: { ch: string; at: number }[] = [];
  type Mode = { kind: 'code' } | { kind: 'interp'; depth: number } | { kind: 'string'; start: number; value: string; interpolated: boolean };
  const modes: Mode[] = [{ kind: 'code' }];
  const blank = (from: number, to: number, fill = ' ') => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = fill;
  };
  let i = 0;
  while (i < src.length) {
    const mode = modes[modes.length - 1]!;
    const ch = src[i]!;
    if (mode.kind === 'string') {
      if (ch === '\\') {
        const next = src[i + 1] ?? '';
        const decoded: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", $: '$' };
        if (!(next in decoded) && next !== 'u') errors.push(`line ${lineOf(src, i)}: unknown escape \\${next}`);
        mode.value += decoded[next] ?? next;
        blank(i, i + 2, MASK);
        i += 2;
        continue;
      }
      if (ch === '$' && src[i + 1] === '{') {
        mode.interpolated = true;
        mode.value += '${…}';
        out[i + 1] = '(';
        modes.push({ kind: 'interp', depth: brackets.length });
        i += 2;
        continue;
      }
      if (ch === "'") {
        modes.pop();
        strings.push({ start: mode.start, end: i + 1, value: mode.value, interpolated: mode.interpolated });
        i++;
        continue;
      }
      if (ch === '\n') {
        errors.push(`line ${lineOf(src, mode.start)}: unterminated string`);
        modes.pop();
        i++;
        continue;
      }
      // Only the outermost string's literal text goes into the value shown for nested ones.
      mode.value += ch;
      out[i] = MASK;
      i++;
      continue;
    }
    // code or interpolation
    if (ch === '/' && src[i + 1] === '/') {
      const end = src.indexOf('\n', i);
      const stop = end === -1 ? src.length : end;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (ch === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      if (end === -1) {
        errors.push(`line ${lineOf(src, i)}: unterminated comment`);
        blank(i, src.length);
        break;
      }
      blank(i, end + 2);
      i = end + 2;
      continue;
    }
    if (src.startsWith("'''", i)) {
      const end = src.indexOf("'''", i + 3);
      if (end === -1) {
        errors.push(`line ${lineOf(src, i)}: unterminated multi-line string`);
        break;
      }
      strings.push({ start: i, end: end + 3, value: src.slice(i + 3, end).replace(/^\r?\n/, ''), interpolated: false });
      blank(i + 3, end, MASK);
      i = end + 3;
      continue;
    }
    if (ch === "'") {
      modes.push({ kind: 'string', start: i, value: '', interpolated: false });
      i++;
      continue;
    }
    if (mode.kind === 'interp' && ch === '}' && brackets.length === mode.depth) {
      out[i] = ')';
      modes.pop();
      i++;
      continue;
    }
    if (OPEN.includes(ch)) brackets.push({ ch, at: i });
    else if (CLOSE.includes(ch)) {
      const open = brackets.pop();
      if (!open) errors.push(`line ${lineOf(src, i)}: unmatched '${ch}'`);
      else if (OPEN.indexOf(open.ch) !== CLOSE.indexOf(ch)) {
        errors.push(`line ${lineOf(src, i)}: '${ch}' closes '${open.ch}' opened on line ${lineOf(src, open.at)}`);
      }
    }
    i++;
  }
  for (const open of brackets) errors.push(`line ${lineOf(src, open.at)}: '${open.ch}' is never closed`);
  if (modes.length > 1 && modes[modes.length - 1]!.kind !== 'code' && !errors.length) errors.push('unterminated string or interpolation at end of file');
  return { src, code: out.join(''), strings, errors };
}

/** Index of the bracket that closes the one at `open` (in scanned code), or -1. */
export function matching(code: string, open: number): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    const ch = code[i]!;
    if (OPEN.includes(ch)) depth++;
    else if (CLOSE.includes(ch)) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

export interface Span {
  start: number;
  end: number;
}

export interface ObjectEntry extends Span {
  key: string;
  /** span of the value text */
  value: Span;
}

/** Keys of the object literal whose `{` is at `open` (not of nested objects), in order. */
export function objectEntries(s: Scan, open: number): ObjectEntry[] {
  const { code, src } = s;
  const close = matching(code, open);
  if (code[open] !== '{' || close === -1) return [];
  const entries: ObjectEntry[] = [];
  let depth = 0;
  let atItemStart = true;
  for (let i = open + 1; i < close; i++) {
    const ch = code[i]!;
    if (OPEN.includes(ch)) {
      depth++;
      atItemStart = false;
      continue;
    }
    if (CLOSE.includes(ch)) {
      depth--;
      continue;
    }
    if (depth !== 0) continue;
    if (ch === '\n' || ch === ',') {
      atItemStart = true;
      continue;
    }
    if (/\s/.test(ch)) continue;
    if (!atItemStart) continue;
    atItemStart = false;
    const rest = src.slice(i, close);
    const m = /^(?:([A-Za-z_$][\w$]*)|'((?:[^'\\]|\\.)*)')\s*:/.exec(rest);
    if (!m) continue; // a spread (...x) or something this reader does not model
    const key = m[1] ?? m[2]!;
    const valueStart = i + m[0].length;
    // the value runs to the end of the item: newline or comma at depth 0
    let j = valueStart;
    let d = 0;
    for (; j < close; j++) {
      const c = code[j]!;
      if (OPEN.includes(c)) d++;
      else if (CLOSE.includes(c)) d--;
      else if (d === 0 && (c === '\n' || c === ',')) break;
    }
    entries.push({ key, start: i, end: j, value: { start: valueStart, end: j } });
    i = j - 1;
  }
  return entries;
}

export interface Decl extends Span {
  kind: 'param' | 'var' | 'resource' | 'module' | 'output' | 'targetScope' | 'type' | 'func' | 'import' | 'metadata';
  name: string;
  text: string; // source text of the declaration (without decorators)
  decorators: string; // source text of decorators above it
}

export interface Param extends Decl {
  type: string;
  defaultText?: string;
  required: boolean;
}

export interface ResourceDecl extends Decl {
  type: string;
  apiVersion: string;
  existing: boolean;
  /** `{` of the body object (inside a loop or condition if there is one), or -1 */
  bodyOpen: number;
  loopVar?: string;
  loopSource?: string;
}

export interface ModuleDecl extends Decl {
  path: string;
  bodyOpen: number;
  params: Map<string, string>; // key -> value text
}

export interface Output extends Decl {
  type: string;
  valueText: string;
}

export interface BicepFile {
  path: string;
  scan: Scan;
  decls: Decl[];
  params: Param[];
  vars: Decl[];
  resources: ResourceDecl[];
  modules: ModuleDecl[];
  outputs: Output[];
  targetScope?: string;
  errors: string[];
}

const KEYWORDS = ['param', 'var', 'resource', 'module', 'output', 'targetScope', 'type', 'func', 'import', 'metadata'] as const;

/** The `{` that opens the body after `=` (skipping `if (...)` and `[for ... :`). */
function findBody(code: string, from: number, to: number): { open: number; loopHead?: string } {
  const eq = code.indexOf('=', from);
  if (eq === -1 || eq >= to) return { open: -1 };
  let i = eq + 1;
  while (i < to && /\s/.test(code[i]!)) i++;
  let loopHead: string | undefined;
  if (code.startsWith('if', i)) {
    const paren = code.indexOf('(', i);
    i = matching(code, paren) + 1;
    while (i < to && /\s/.test(code[i]!)) i++;
  }
  if (code[i] === '[') {
    // [for x in y: {   or   [for (x, i) in y: {
    const colon = findTopLevelColon(code, i + 1, to);
    loopHead = code.slice(i + 1, colon).trim();
    i = colon + 1;
    while (i < to && /\s/.test(code[i]!)) i++;
    if (code.startsWith('if', i)) {
      const paren = code.indexOf('(', i);
      i = matching(code, paren) + 1;
      while (i < to && /\s/.test(code[i]!)) i++;
    }
  }
  return { open: code[i] === '{' ? i : -1, loopHead };
}

function findTopLevelColon(code: string, from: number, to: number): number {
  let d = 0;
  for (let i = from; i < to; i++) {
    const c = code[i]!;
    if (OPEN.includes(c)) d++;
    else if (CLOSE.includes(c)) d--;
    else if (c === ':' && d === 0) return i;
  }
  return to;
}

export function parseBicep(src: string, path = '<inline>'): BicepFile {
  const s = scan(src);
  const { code } = s;
  const decls: Decl[] = [];
  const params: Param[] = [];
  const vars: Decl[] = [];
  const resources: ResourceDecl[] = [];
  const modules: ModuleDecl[] = [];
  const outputs: Output[] = [];
  const errors = [...s.errors];
  let targetScope: string | undefined;

  // Walk the top level: statements start at depth 0 at the beginning of a line.
  let depth = 0;
  let lineStart = true;
  let decoratorStart = -1;
  for (let i = 0; i < code.length; i++) {
    const ch = code[i]!;
    if (ch === '\n') {
      lineStart = true;
      continue;
    }
    if (lineStart && /\s/.test(ch)) continue;
    if (lineStart && depth === 0) {
      lineStart = false;
      if (ch === '@') {
        if (decoratorStart === -1) decoratorStart = i;
        // skip the decorator (it may span lines through its brackets)
        let j = i + 1;
        while (j < code.length && /[\w.]/.test(code[j]!)) j++;
        if (code[j] === '(') j = matching(code, j);
        i = j;
        continue;
      }
      const word = /^[A-Za-z_]\w*/.exec(code.slice(i, i + 40))?.[0];
      if (word && (KEYWORDS as readonly string[]).includes(word)) {
        // the statement runs to the first newline at depth 0
        let j = i;
        let d = 0;
        for (; j < code.length; j++) {
          const c = code[j]!;
          if (OPEN.includes(c)) d++;
          else if (CLOSE.includes(c)) d--;
          else if (c === '\n' && d === 0) break;
        }
        const text = src.slice(i, j);
        const decorators = decoratorStart === -1 ? '' : src.slice(decoratorStart, i);
        decoratorStart = -1;
        const kind = word as Decl['kind'];
        const nameMatch = /^\w+\s+([A-Za-z_]\w*)/.exec(text);
        const base: Decl = { kind, name: nameMatch?.[1] ?? '', text, decorators, start: i, end: j };
        if (kind === 'targetScope') {
          targetScope = /=\s*'([^']*)'/.exec(text)?.[1];
        } else if (kind === 'param') {
          const codeText = code.slice(i, j);
          const eq = codeText.indexOf('=');
          const head = (eq === -1 ? text : text.slice(0, eq)).trim();
          const m = /^param\s+([A-Za-z_]\w*)\s+([\s\S]+)$/.exec(head);
          if (!m) errors.push(`line ${lineOf(src, i)}: cannot read param declaration`);
          const type = (m?.[2] ?? '').trim();
          const p: Param = {
            ...base,
            name: m?.[1] ?? '',
            type,
            defaultText: eq === -1 ? undefined : text.slice(eq + 1).trim(),
            required: eq === -1 && !type.endsWith('?'),
          };
          params.push(p);
        } else if (kind === 'var') {
          vars.push(base);
        } else if (kind === 'resource') {
          const m = /^resource\s+([A-Za-z_]\w*)\s+'([^'@]+)@([^']+)'\s*(existing)?\s*=/.exec(text);
          if (!m) errors.push(`line ${lineOf(src, i)}: cannot read resource declaration`);
          const body = findBody(code, i, j);
          const loop = body.loopHead ? /^for\s+(?:\(\s*(\w+)\s*,\s*\w+\s*\)|(\w+))\s+in\s+([\s\S]+)$/.exec(body.loopHead) : null;
          resources.push({
            ...base,
            name: m?.[1] ?? '',
            type: m?.[2] ?? '',
            apiVersion: m?.[3] ?? '',
            existing: Boolean(m?.[4]),
            bodyOpen: body.open,
            loopVar: loop ? (loop[1] ?? loop[2]) : undefined,
            loopSource: loop?.[3]?.trim(),
          });
        } else if (kind === 'module') {
          const m = /^module\s+([A-Za-z_]\w*)\s+'([^']+)'\s*=/.exec(text);
          if (!m) errors.push(`line ${lineOf(src, i)}: cannot read module declaration`);
          const body = findBody(code, i, j);
          const passed = new Map<string, string>();
          if (body.open !== -1) {
            const paramsEntry = objectEntries(s, body.open).find((e) => e.key === 'params');
            if (paramsEntry) {
              let k = paramsEntry.value.start;
              while (/\s/.test(code[k]!)) k++;
              if (code[k] === '{') {
                for (const e of objectEntries(s, k)) passed.set(e.key, src.slice(e.value.start, e.value.end).trim());
              }
            }
          }
          modules.push({ ...base, name: m?.[1] ?? '', path: m?.[2] ?? '', bodyOpen: body.open, params: passed });
        } else if (kind === 'output') {
          const codeText = code.slice(i, j);
          const eq = codeText.indexOf('=');
          const m = /^output\s+([A-Za-z_]\w*)\s+([^=]+?)\s*$/.exec(text.slice(0, eq === -1 ? undefined : eq));
          outputs.push({ ...base, name: m?.[1] ?? '', type: m?.[2]?.trim() ?? '', valueText: eq === -1 ? '' : text.slice(eq + 1).trim() });
        }
        decls.push(base.kind === 'param' ? params[params.length - 1]! : base);
        i = j - 1;
        continue;
      }
      if (word) errors.push(`line ${lineOf(src, i)}: unexpected '${word}' at the top level`);
    }
    lineStart = false;
    if (OPEN.includes(ch)) depth++;
    else if (CLOSE.includes(ch)) depth--;
  }
  return { path, scan: s, decls, params, vars, resources, modules, outputs, targetScope, errors };
}

export function readBicep(path: string): BicepFile {
  return parseBicep(readFileSync(path, 'utf8'), path);
}

/** Source text of the body object of a resource or module. */
export function bodyText(file: BicepFile, decl: { bodyOpen: number }): string {
  if (decl.bodyOpen === -1) return '';
  return file.scan.src.slice(decl.bodyOpen, matching(file.scan.code, decl.bodyOpen) + 1);
}

/** Source text of a body with comments removed (strings kept). */
export function bodyCode(file: BicepFile, decl: { bodyOpen: number }): string {
  if (decl.bodyOpen === -1) return '';
  const end = matching(file.scan.code, decl.bodyOpen) + 1;
  return withoutComments(file.scan, decl.bodyOpen, end);
}

/** The source with comments blanked and string literals kept. */
export function withoutComments(s: Scan, from = 0, to = s.src.length): string {
  let out = '';
  for (let i = from; i < to; i++) out += s.code[i] === MASK ? s.src[i] : s.code[i] === ' ' && s.src[i] !== ' ' ? ' ' : s.src[i];
  return out;
}

/** Names of the built-in functions and namespaces this project's Bicep may call. */
export const BUILTIN_FUNCTIONS = new Set([
  'any',
  'array',
  'base64',
  'bool',
  'coalesce',
  'concat',
  'contains',
  'dataUri',
  'dateTimeAdd',
  'deployer',
  'deployment',
  'empty',
  'endsWith',
  'environment',
  'extensionResourceId',
  'filter',
  'first',
  'flatten',
  'format',
  'guid',
  'indexOf',
  'int',
  'intersection',
  'items',
  'join',
  'json',
  'last',
  'lastIndexOf',
  'length',
  'loadFileAsBase64',
  'loadJsonContent',
  'loadTextContent',
  'managementGroup',
  'managementGroupResourceId',
  'map',
  'max',
  'min',
  'newGuid',
  'padLeft',
  'range',
  'reduce',
  'reference',
  'replace',
  'resourceGroup',
  'resourceId',
  'skip',
  'sort',
  'split',
  'startsWith',
  'string',
  'subscription',
  'subscriptionResourceId',
  'substring',
  'take',
  'tenant',
  'tenantResourceId',
  'toLower',
  'toObject',
  'toUpper',
  'trim',
  'union',
  'uniqueString',
  'uri',
  'uriComponent',
  'utcNow',
  'sys',
  'az',
]);

const DECORATORS = new Set(['description', 'minLength', 'maxLength', 'minValue', 'maxValue', 'allowed', 'secure', 'metadata', 'batchSize', 'export', 'sealed', 'discriminator']);

const WORDS = new Set(['true', 'false', 'null', 'if', 'for', 'in', 'existing', 'string', 'int', 'bool', 'object', 'array', ...KEYWORDS]);

/**
 * Identifiers used in expressions that are neither declared in the file, nor built-in functions,
 * nor loop variables or lambda parameters. A compiler would reject each of them.
 */
export function undeclaredIdentifiers(file: BicepFile): { name: string; line: number }[] {
  const { code, src } = file.scan;
  const declared = new Set<string>();
  for (const d of file.decls) if (d.name) declared.add(d.name);
  // loop variables and lambda parameters (declared for their whole file: close enough here)
  for (const m of code.matchAll(/\bfor\s+(?:\(\s*(\w+)\s*,\s*(\w+)\s*\)|(\w+))\s+in\b/g)) {
    for (const g of [m[1], m[2], m[3]]) if (g) declared.add(g);
  }
  for (const m of code.matchAll(/(?:\(\s*(\w+)(?:\s*,\s*(\w+))?\s*\)|\b(\w+))\s*=>/g)) {
    for (const g of [m[1], m[2], m[3]]) if (g) declared.add(g);
  }
  const found: { name: string; line: number }[] = [];
  for (const d of file.decls) {
    // skip the head of the declaration: keyword, name, type / path
    let from = d.start;
    const codeText = code.slice(d.start, d.end);
    if (d.kind === 'param' || d.kind === 'output' || d.kind === 'var') {
      const eq = codeText.indexOf('=');
      if (eq === -1) continue;
      from = d.start + eq + 1;
    } else if (d.kind === 'resource' || d.kind === 'module') {
      const eq = codeText.indexOf('=');
      from = d.start + eq + 1;
    } else continue;
    const text = code.slice(from, d.end);
    for (const m of text.matchAll(/[A-Za-z_]\w*/g)) {
      const name = m[0];
      const at = from + m.index!;
      const before = code.slice(Math.max(0, at - 3), at);
      if (/\.\s*$/.test(before) || /\?\.$/.test(before)) continue; // property access
      if (/@$/.test(before)) continue;
      const after = code.slice(at + name.length, at + name.length + 40);
      if (/^\s*:/.test(after) && !/\?\s*$/.test(code.slice(Math.max(0, at - 40), at))) continue; // object key
      if (/^\s*\(/.test(after) && (BUILTIN_FUNCTIONS.has(name) || DECORATORS.has(name))) continue;
      if (BUILTIN_FUNCTIONS.has(name) && /^\s*\./.test(after)) continue; // az.x(), sys.x()
      if (WORDS.has(name) || declared.has(name)) continue;
      if (/^\d/.test(name)) continue;
      found.push({ name, line: lineOf(src, at) });
    }
  }
  return found;
}

/**
 * Reads of a property that a `var` object literal does not have: `names.typo` or
 * `roles['Typo name']` where `var names = { ... }` / `var roles = { ... }`.
 */
export function unknownVarProperties(file: BicepFile): { name: string; line: number }[] {
  const { code, src } = file.scan;
  const found: { name: string; line: number }[] = [];
  for (const v of file.vars) {
    const eq = code.indexOf('=', v.start);
    let open = eq + 1;
    while (/\s/.test(code[open] ?? '')) open++;
    if (code[open] !== '{') continue;
    const keys = new Set(objectEntries(file.scan, open).map((e) => e.key));
    const re = new RegExp(`(?<![\\w.])${v.name}(?:\\.([A-Za-z_]\\w*)|\\[\\s*')`, 'g');
    for (const m of code.matchAll(re)) {
      const at = m.index!;
      let key = m[1];
      if (key === undefined) {
        // an indexer with a literal: read the literal from the source
        const lit = /^\[\s*'((?:[^'\\]|\\.)*)'\s*\]/.exec(src.slice(at + v.name.length));
        if (!lit) continue;
        key = lit[1]!;
      }
      if (!keys.has(key)) found.push({ name: `${v.name}.${key}`, line: lineOf(src, at) });
    }
  }
  return found;
}

/** Symbol names declared more than once among params, vars, resources and modules. */
export function duplicateSymbols(file: BicepFile): string[] {
  const seen = new Map<string, number>();
  for (const d of file.decls) {
    if (!['param', 'var', 'resource', 'module'].includes(d.kind)) continue;
    seen.set(d.name, (seen.get(d.name) ?? 0) + 1);
  }
  const outputs = new Map<string, number>();
  for (const o of file.outputs) outputs.set(o.name, (outputs.get(o.name) ?? 0) + 1);
  return [...seen, ...outputs].filter(([, n]) => n > 1).map(([name]) => name);
}

/** String literals (decoded) inside a span of the file. */
export function stringsIn(file: BicepFile, from: number, to: number): string[] {
  return file.scan.strings.filter((s) => s.start >= from && s.end <= to).map((s) => s.value);
}

/** The text of a `var` value (after `=`). */
export function varValue(file: BicepFile, name: string): string | undefined {
  const d = file.vars.find((v) => v.name === name);
  if (!d) return undefined;
  const codeText = file.scan.code.slice(d.start, d.end);
  return d.text.slice(codeText.indexOf('=') + 1).trim();
}

/** Keys of a `var NAME = { ... }` object. */
export function varObjectKeys(file: BicepFile, name: string): string[] {
  const d = file.vars.find((v) => v.name === name);
  if (!d) return [];
  const open = file.scan.code.indexOf('{', d.start);
  if (open === -1 || open > d.end) return [];
  return objectEntries(file.scan, open).map((e) => e.key);
}

/** Entries of a `var NAME = { 'key': 'value' ... }` whose values are string literals. */
export function varStringMap(file: BicepFile, name: string): Map<string, string> {
  const d = file.vars.find((v) => v.name === name);
  const out = new Map<string, string>();
  if (!d) return out;
  const open = file.scan.code.indexOf('{', d.start);
  if (open === -1 || open > d.end) return out;
  for (const e of objectEntries(file.scan, open)) {
    const m = /^'([^']*)'$/.exec(file.scan.src.slice(e.value.start, e.value.end).trim());
    if (m) out.set(e.key, m[1]!);
  }
  return out;
}

/** String elements of a `var NAME = [ 'a' 'b' ]`. */
export function varStringArray(file: BicepFile, name: string): string[] | undefined {
  const d = file.vars.find((v) => v.name === name);
  if (!d) return undefined;
  const open = file.scan.code.indexOf('[', d.start);
  if (open === -1 || open > d.end) return undefined;
  return stringsIn(file, open, matching(file.scan.code, open) + 1);
}

/** Minimal YAML reader for block mappings, block lists of scalars and scalars (azure.yaml). */
export function readSimpleYaml(text: string): unknown {
  type Frame = { indent: number; value: Record<string, unknown> | unknown[] };
  const root: Record<string, unknown> = {};
  const stack: Frame[] = [{ indent: -1, value: root }];
  const scalar = (raw: string): unknown => {
    const v = raw.replace(/\s+#.*$/, '').trim();
    if (/^'.*'$/.test(v)) return v.slice(1, -1).replace(/''/g, "'");
    if (/^".*"$/.test(v)) return JSON.parse(v);
    if (v === 'true' || v === 'false') return v === 'true';
    if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
    if (v === '' || v === '~' || v === 'null') return null;
    return v;
  };
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    if (/^\s*(#.*)?$/.test(line)) continue;
    const indent = line.length - line.trimStart().length;
    const body = line.trim();
    while (stack.length > 1 && indent <= stack[stack.length - 1]!.indent) stack.pop();
    const parent = stack[stack.length - 1]!;
    if (body.startsWith('- ')) {
      if (!Array.isArray(parent.value)) throw new Error(`azure.yaml line ${n + 1}: list item outside a list`);
      parent.value.push(scalar(body.slice(2)));
      continue;
    }
    const m = /^([^:#]+?):(?:\s+(.*))?$/.exec(body);
    if (!m) throw new Error(`azure.yaml line ${n + 1}: cannot read "${body}"`);
    if (Array.isArray(parent.value)) throw new Error(`azure.yaml line ${n + 1}: mapping inside a list is not supported here`);
    const key = m[1]!.trim();
    const rest = m[2]?.replace(/\s+#.*$/, '').trim();
    if (rest) {
      parent.value[key] = scalar(rest);
      continue;
    }
    // a nested block: a list if the next content line starts with '- '
    const next = lines.slice(n + 1).find((l) => !/^\s*(#.*)?$/.test(l)) ?? '';
    const child: Record<string, unknown> | unknown[] = next.trim().startsWith('- ') ? [] : {};
    parent.value[key] = child;
    stack.push({ indent, value: child });
  }
  return root;
}
