import { describe, expect, it } from 'vitest';
import { FilterSyntaxError, parseFilter } from '../../shared/local-host/webpubsub/odata-filter';

const ann = { connectionId: 'c1', userId: 'ann', groups: new Set(['a', 'b']) };
const anonymous = { connectionId: 'c2', userId: null, groups: new Set<string>() };
const quoted = { connectionId: 'c3', userId: "vic's", groups: new Set(['b']) };
const matching = (filter: string) => [ann, anonymous, quoted].filter(parseFilter(filter)).map((s) => s.connectionId);

describe('OData filters of the Web PubSub REST API', () => {
  it.each([
    ["userId eq 'ann'", ['c1']],
    ["userId ne 'ann'", ['c2', 'c3']],
    ['userId eq null', ['c2']],
    ["userId eq 'vic''s'", ['c3']],
    ["'b' in groups", ['c1', 'c3']],
    ["'b' in groups and not (userId eq 'ann')", ['c3']],
    ["connectionId eq 'c2' or 'a' in groups", ['c1', 'c2']],
    ["userId gt 'b'", ['c3']],
    ['length(userId) gt 3', ['c3']],
    ["NOT ('a' in groups) AND userId NE NULL", ['c3']],
  ])('%s', (filter, expected) => {
    expect(matching(filter)).toEqual(expected);
  });

  it.each(['userId eq', "userId eq 'a' and", "(userId eq 'a'", "region eq 'eu'", "userId eq 'a' 'b'", 'userId @ 1'])('refuses %s', (filter) => {
    expect(() => parseFilter(filter)).toThrow(FilterSyntaxError);
  });
});
