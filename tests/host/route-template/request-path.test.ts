import { describe } from 'vitest';
import { matches } from './matches';

describe('request paths', () => {
  matches('tolerate one trailing slash, not an empty segment', [
    ['api/products', '/api/products/', {}],
    ['api/products', '/api//products', null],
    ['api/products', '/api/products//', null],
  ]);

  matches('ignore a query string and accept a path without a leading slash', [
    ['api/products', '/api/products?x=1#frag', {}],
    ['api/products', 'api/products', {}],
  ]);

  matches('match an empty template at the root only', [
    ['', '/', {}],
    ['', '', {}],
    ['', '/x', null],
  ]);
});
