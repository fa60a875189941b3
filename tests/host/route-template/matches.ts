import { expect, it } from 'vitest';
import { compileRoute, type RouteParams } from '../../../shared/local-host/http/route-template/index';

export const match = (template: string, path: string) => compileRoute(template).match(path);

/** One test per row: the template matched against the path gives these params (null: no match). */
export const matches = (rule: string, rows: [template: string, path: string, params: RouteParams | null][]) =>
  it.each(rows)(`${rule}: %j on %j`, (template, path, params) => {
    expect(match(template, path)).toEqual(params);
  });
