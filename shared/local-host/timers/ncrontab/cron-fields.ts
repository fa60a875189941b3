/** The six (or five) fields of an NCRONTAB expression, each parsed into the values it allows. */

import { MAX_DAYS_IN_MONTH } from '../../calendar';
import { ScheduleExpressionError } from './schedule';

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const SECOND: FieldSpec = { name: 'second', min: 0, max: 59 };
const MINUTE: FieldSpec = { name: 'minute', min: 0, max: 59 };
const HOUR: FieldSpec = { name: 'hour', min: 0, max: 23 };
const DAY: FieldSpec = { name: 'day', min: 1, max: 31 };
const MONTH: FieldSpec = {
  name: 'month',
  min: 1,
  max: 12,
  names: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};
const DAY_OF_WEEK: FieldSpec = {
  name: 'day-of-week',
  min: 0,
  max: 6,
  names: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};

/** A set of allowed values with O(1) "next allowed value at or after v". */
export class Field {
  readonly values: boolean[];
  /** nextFrom[v] = smallest allowed value >= v, or -1 (indices up to max + 1). */
  private readonly nextFrom: Int16Array;
  readonly count: number;
  readonly full: boolean;

  constructor(
    readonly spec: FieldSpec,
    values: boolean[],
  ) {
    this.values = values;
    this.nextFrom = new Int16Array(spec.max + 2).fill(-1);
    let next = -1;
    for (let v = spec.max; v >= 0; v--) {
      if (values[v]) next = v;
      this.nextFrom[v] = next;
    }
    this.count = values.filter(Boolean).length;
    this.full = this.count === spec.max - spec.min + 1;
  }

  next(v: number): number {
    return v > this.spec.max ? -1 : this.nextFrom[v];
  }

  has(v: number): boolean {
    return this.values[v] === true;
  }

  /** The runtime's `IsInterval` test on NCrontab's formatted field: '*' or a run like '1-2'. */
  looksLikeInterval(): boolean {
    if (this.full) return true;
    for (let v = this.spec.min; v < this.spec.max; v++) if (this.values[v] && this.values[v + 1]) return true;
    return false;
  }
}

export interface Fields {
  second: Field;
  minute: Field;
  hour: Field;
  day: Field;
  month: Field;
  dayOfWeek: Field;
  hasSeconds: boolean;
}

export function parseFields(expression: string, tokens: string[]): Fields {
  const hasSeconds = tokens.length === 6;
  const specs = hasSeconds ? [SECOND, MINUTE, HOUR, DAY, MONTH, DAY_OF_WEEK] : [MINUTE, HOUR, DAY, MONTH, DAY_OF_WEEK];
  const parsed = specs.map((spec, index) => parseField(expression, spec, tokens[index]));
  const [second, minute, hour, day, month, dayOfWeek] = hasSeconds ? parsed : [zeroSeconds(), ...parsed];
  // A day/month combination that never exists (30 February) would never fire; say so now.
  const possible = month.values.some((allowed, m) => allowed && day.values.some((d, dd) => d && dd <= MAX_DAYS_IN_MONTH[m - 1]));
  if (!possible) {
    throw new ScheduleExpressionError(expression, 'no month it allows has any of the days it allows, so it would never fire');
  }
  return { second, minute, hour, day, month, dayOfWeek, hasSeconds };
}

function zeroSeconds(): Field {
  const values = new Array<boolean>(60).fill(false);
  values[0] = true;
  return new Field(SECOND, values);
}

function parseField(expression: string, spec: FieldSpec, token: string): Field {
  const values = new Array<boolean>(spec.max + 1).fill(false);
  const fail = (why: string): never => {
    throw new ScheduleExpressionError(expression, `the ${spec.name} field '${token}' ${why}`);
  };
  for (const item of token.split(',')) {
    if (item.length === 0) fail('has an empty list item');
    let body = item;
    let step = 1;
    const slash = item.indexOf('/');
    if (slash > 0) {
      const stepText = item.slice(slash + 1);
      if (!/^[+-]?\d+$/.test(stepText) || Math.abs(Number(stepText)) > 2147483647) fail(`has a step '${stepText}' that is not a whole number`);
      step = Math.max(1, Number(stepText)); // NCrontab treats a step below 1 as 1
      body = item.slice(0, slash);
    }
    let start: number;
    let end: number;
    if (body === '*') {
      start = spec.min;
      end = spec.max;
    } else {
      const dash = body.indexOf('-');
      if (dash > 0) {
        start = parseValue(spec, body.slice(0, dash), fail);
        end = parseValue(spec, body.slice(dash + 1), fail);
        if (start > end) [start, end] = [end, start]; // NCrontab swaps a reversed range
      } else {
        start = parseValue(spec, body, fail);
        end = slash > 0 ? spec.max : start; // '5/15' runs from 5 to the maximum
      }
      for (const v of [start, end]) {
        if (v < spec.min || v > spec.max) fail(`has ${v}, outside ${spec.min}-${spec.max}`);
      }
    }
    for (let v = start; v <= end; v += step) values[v] = true;
  }
  return new Field(spec, values);
}

function parseValue(spec: FieldSpec, text: string, fail: (why: string) => never): number {
  if (text.length === 0) fail('has an empty value');
  if (/^[0-9]/.test(text)) {
    if (!/^[0-9]+$/.test(text)) fail(`has '${text}', which is not a number`);
    return Number(text);
  }
  if (!spec.names) {
    if (/^[LW#?]/i.test(text) || /[LW#?]/.test(text)) fail(`uses '${text}': L, W, # and ? are not NCRONTAB syntax`);
    fail(`has '${text}', which is not a number between ${spec.min} and ${spec.max}`);
  }
  const lower = text.toLowerCase();
  const index = spec.names!.findIndex((name) => name.toLowerCase().startsWith(lower));
  if (index === -1) fail(`has '${text}', which is not a ${spec.name} name (${spec.names!.join(', ')}, or a prefix such as '${spec.names![1].slice(0, 3)}')`);
  return index + spec.min;
}
