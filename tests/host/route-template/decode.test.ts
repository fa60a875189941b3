import { describe, expect, it } from 'vitest';
import { compileRoute } from '../../../shared/local-host/http/route-template/index';
import { matches } from './matches';

describe('percent-decoding, as Kestrel does it', () => {
  matches('match percent-encoded literals after decoding', [
    ['api/hello world', '/api/hello%20world', {}],
    ['api/café', '/api/caf%C3%A9', {}],
  ]);

  matches('percent-decode each segment', [
    ['api/{name}', '/api/hello%20world', { name: 'hello world' }],
    ['api/{name}', '/api/%E2%9C%93', { name: '✓' }],
    ['api/{name}', '/api/a+b', { name: 'a+b' }],
    ['api/{name}', '/api/100%25', { name: '100%' }],
  ]);

  matches('keep an encoded slash inside its segment (encoded, as Kestrel does)', [
    ['api/{name}', '/api/a%2Fb', { name: 'a%2Fb' }],
    ['api/{name}', '/api/a%2fb%20c', { name: 'a%2fb c' }],
    ['api/{name}/x', '/api/a%2Fb/x', { name: 'a%2Fb' }],
  ]);

  it('decode an encoded slash when asked (decodeEncodedSlash)', () => {
    expect(compileRoute('api/{name}', { decodeEncodedSlash: true }).match('/api/a%2Fb')).toEqual({ name: 'a/b' });
  });

  matches('leave malformed escapes as written', [
    ['api/{name}', '/api/50%', { name: '50%' }],
    ['api/{name}', '/api/%zz%41', { name: '%zzA' }],
    ['api/{name}', '/api/%C3%28', { name: '%C3(' }],
  ]);
});
