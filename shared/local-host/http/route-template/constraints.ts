/**
 * ASP.NET Core's inline route constraints, with the values .NET's invariant-culture parsers
 * (`int.TryParse`, `DateTime.TryParse`, ...) accept, as a parameter's constraints check them.
 */

import { daysInMonth } from '../../calendar';
import type { Constraint } from './template';

const NO_ARGS = new Set(['int', 'long', 'bool', 'datetime', 'decimal', 'double', 'float', 'guid', 'alpha', 'required']);

export function resolveConstraint(rawName: string, args: string | undefined, parameter: string, fail: (reason: string) => never): Constraint {
  const name = rawName.toLowerCase();
  const text = args === undefined ? rawName : `${rawName}(${args})`;
  const bad = (why: string): never => fail(`the constraint '${text}' on parameter '${parameter}' ${why}`);
  if (NO_ARGS.has(name) && args !== undefined) bad('takes no arguments');
  const list = args === undefined ? [] : args.split(',').map((arg) => arg.trim());
  const integers = (count: number): bigint[] => {
    if (args === undefined || list.length !== count) bad(`needs ${count} integer argument${count > 1 ? 's' : ''}`);
    return list.map((arg) => parseDotNetInteger(arg, INT64) ?? bad(`has '${arg}', which is not an integer`));
  };
  const lengthArg = (value: bigint): number => {
    if (value < 0n || value > 2147483647n) bad('needs a length between 0 and 2147483647');
    return Number(value);
  };

  switch (name) {
    case 'int':
      return (v) => parseDotNetInteger(v, INT32) !== null;
    case 'long':
      return (v) => parseDotNetInteger(v, INT64) !== null;
    case 'bool':
      return (v) => BOOL.test(v);
    case 'datetime':
      return isDotNetDateTime;
    case 'decimal':
      return isDotNetDecimal;
    case 'double':
    case 'float':
      return isDotNetFloat;
    case 'guid':
      return isDotNetGuid;
    case 'alpha':
      return (v) => ALPHA.test(v);
    case 'required':
      return (v) => v.length > 0;
    case 'minlength': {
      const [min] = integers(1).map(lengthArg);
      return (v) => v.length >= min;
    }
    case 'maxlength': {
      const [max] = integers(1).map(lengthArg);
      return (v) => v.length <= max;
    }
    case 'length': {
      if (list.length === 1) {
        const [exact] = integers(1).map(lengthArg);
        return (v) => v.length === exact;
      }
      const [min, max] = integers(2).map(lengthArg);
      if (min > max) bad('has a minimum greater than its maximum');
      return (v) => v.length >= min && v.length <= max;
    }
    case 'min': {
      const [min] = integers(1);
      return (v) => compareLong(v, (n) => n >= min);
    }
    case 'max': {
      const [max] = integers(1);
      return (v) => compareLong(v, (n) => n <= max);
    }
    case 'range': {
      const [min, max] = integers(2);
      if (min > max) bad('has a minimum greater than its maximum');
      return (v) => compareLong(v, (n) => n >= min && n <= max);
    }
    case 'regex': {
      if (args === undefined || args.length === 0) return bad('needs a regular expression');
      let regex: RegExp;
      try {
        regex = new RegExp(translateDotNetRegex(args), 'i');
      } catch (error) {
        return bad(`has a regular expression JavaScript cannot compile (${(error as Error).message})`);
      }
      // ASP.NET Core calls Regex.IsMatch: a match anywhere in the value satisfies the constraint.
      return (v) => regex.test(v);
    }
    default:
      return bad(`is not a known constraint (known: int, long, bool, datetime, decimal, double, float, guid, alpha, required, minlength, maxlength, length, min, max, range, regex)`);
  }
}

/** `\A`, `\z` and `\Z` are .NET anchors JavaScript lacks; everything else is passed as written. */
function translateDotNetRegex(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\' && i + 1 < source.length) {
      const n = source[i + 1];
      if (!inClass && n === 'A') out += '^';
      else if (!inClass && (n === 'z' || n === 'Z')) out += '$';
      else out += c + n;
      i++;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    out += c;
  }
  return out;
}

const INT32 = { min: -2147483648n, max: 2147483647n };
const INT64 = { min: -9223372036854775808n, max: 9223372036854775807n };
// .NET NumberStyles.Integer: leading/trailing white space (\t\n\v\f\r and space) and a leading sign.
const INTEGER = /^[\t\n\v\f\r ]*([+-]?)([0-9]+)[\t\n\v\f\r ]*$/;

function parseDotNetInteger(value: string, range: { min: bigint; max: bigint }): bigint | null {
  const m = INTEGER.exec(value);
  if (!m) return null;
  const n = BigInt(m[1] === '-' ? `-${m[2]}` : m[2]);
  return n < range.min || n > range.max ? null : n;
}

function compareLong(value: string, predicate: (n: bigint) => boolean): boolean {
  const n = parseDotNetInteger(value, INT64);
  return n !== null && predicate(n);
}

const BOOL = /^\s*(?:true|false)\s*$/i;
const ALPHA = /^[A-Za-z]*$/;
const WS = '[\\t\\n\\v\\f\\r ]*';
// NumberStyles.Float | AllowThousands (double, float): no trailing sign; exponent allowed.
const FLOAT = new RegExp(`^${WS}[+-]?(?:[0-9][0-9,]*(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?${WS}$`);
const FLOAT_SYMBOL = new RegExp(`^${WS}[+-]?(?:infinity|\u221e|nan)${WS}$`, 'i');
// NumberStyles.Number (decimal): leading or trailing sign, thousands, no exponent.
const DECIMAL = new RegExp(`^${WS}([+-]?)((?:[0-9][0-9,]*)?)(?:\\.([0-9]*))?([+-]?)${WS}$`);
const DECIMAL_MAX = 79228162514264337593543950335n;

function isDotNetFloat(value: string): boolean {
  return FLOAT.test(value) || FLOAT_SYMBOL.test(value);
}

function isDotNetDecimal(value: string): boolean {
  const m = DECIMAL.exec(value);
  if (!m) return false;
  const [, lead, whole, fraction = '', trail] = m;
  if (lead && trail) return false;
  if (!whole && !fraction) return false;
  const digits = whole.replace(/,/g, '').replace(/^0+/, '');
  return digits.length < 29 || (digits.length === 29 && BigInt(digits) <= DECIMAL_MAX);
}

const HEX = '[0-9A-Fa-f]';
const GUID_D = `${HEX}{8}-${HEX}{4}-${HEX}{4}-${HEX}{4}-${HEX}{12}`;
const GUID = new RegExp(
  `^\\s*(?:${HEX}{32}|${GUID_D}|\\{${GUID_D}\\}|\\(${GUID_D}\\)|` + `\\{0[xX]${HEX}{1,8},0[xX]${HEX}{1,4},0[xX]${HEX}{1,4},\\{(?:0[xX]${HEX}{1,2},){7}0[xX]${HEX}{1,2}\\}\\})\\s*$`,
);

function isDotNetGuid(value: string): boolean {
  return GUID.test(value);
}

// DateTime.TryParse(value, InvariantCulture) is very lenient; this accepts the forms that matter
// in a URL: ISO 8601 dates and date-times (with 'T' or a space, fractions and an offset), the
// invariant culture's M/d/yyyy (also with '-' or '.'), yyyy/M/d, and a time of day alone.
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const TIME = '(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.\\d{1,7})?)?\\s*(am|pm|a|p)?';
const ZONE = '(?:z|[+-]\\d{2}(?::?\\d{2})?)?';
const DATE_YMD = new RegExp(`^\\s*(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})(?:(?:t|\\s+)${TIME})?\\s*${ZONE}\\s*$`, 'i');
const DATE_MDY = new RegExp(`^\\s*(\\d{1,2})[-/.](\\d{1,2})[-/.](\\d{4})(?:\\s+${TIME})?\\s*$`, 'i');
const TIME_ONLY = new RegExp(`^\\s*${TIME}\\s*$`, 'i');
const DATE_NAMED = /^\s*(?:(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{4})|([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4}))\s*$/i;

function isDotNetDateTime(value: string): boolean {
  let m = DATE_YMD.exec(value);
  if (m) return validDate(+m[1], +m[2], +m[3]) && validTime(m[4], m[5], m[6], m[7]);
  m = DATE_MDY.exec(value);
  if (m) return validDate(+m[3], +m[1], +m[2]) && validTime(m[4], m[5], m[6], m[7]);
  m = TIME_ONLY.exec(value);
  if (m) return validTime(m[1], m[2], m[3], m[4]);
  m = DATE_NAMED.exec(value);
  if (m) {
    const [day, monthName, year] = m[1] ? [m[1], m[2], m[3]] : [m[5], m[4], m[6]];
    const month = MONTHS.indexOf(monthName.slice(0, 3).toLowerCase()) + 1;
    const full = monthName.toLowerCase();
    const known = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
    if (month === 0 || !(full.length === 3 || known[month - 1] === full || (month === 9 && full === 'sept'))) return false;
    return validDate(+year, month, +day);
  }
  return false;
}

function validDate(year: number, month: number, day: number): boolean {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function validTime(hour?: string, minute?: string, second?: string, meridiem?: string): boolean {
  if (hour === undefined) return true;
  const h = +hour;
  if (meridiem ? h < 0 || h > 12 : h > 23) return false;
  return +minute! <= 59 && (second === undefined || +second <= 59);
}
