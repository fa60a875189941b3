import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { UnauthorizedError, verifyAccessToken } from '../../shared/local-host/webpubsub/access-token';

const key = 'test-key';
const url = 'http://127.0.0.1:9000/api/hubs/chat/:send?api-version=2024-12-01';

describe('access-key token verification', () => {
  it('accepts the audience with or without query and trailing slash, and a ws URL for an http audience', () => {
    for (const audience of [url, 'http://127.0.0.1:9000/api/hubs/chat/:send', 'HTTP://127.0.0.1:9000/api/hubs/chat/:send/']) {
      expect(() => verifyAccessToken(jwt.sign({}, key, { audience, expiresIn: 60 }), key, url)).not.toThrow();
    }
    const client = jwt.sign({ role: ['webpubsub.joinLeaveGroup'], 'webpubsub.group': 'g' }, key, { audience: 'http://127.0.0.1:9000/client/hubs/chat', expiresIn: 60, subject: 'u' });
    expect(verifyAccessToken(client, key, 'ws://127.0.0.1:9000/client/hubs/chat')).toMatchObject({ sub: 'u', role: ['webpubsub.joinLeaveGroup'], 'webpubsub.group': ['g'] });
  });

  it('rejects another path, another key, no expiry, a past expiry and another algorithm', () => {
    const tokens = [
      jwt.sign({}, key, { audience: 'http://127.0.0.1:9000/api/hubs/other/:send', expiresIn: 60 }),
      jwt.sign({}, 'other', { audience: url, expiresIn: 60 }),
      jwt.sign({}, key, { audience: url }),
      jwt.sign({ exp: Math.floor(Date.now() / 1000) - 30 }, key, { audience: url }),
      jwt.sign({}, key, { audience: url, expiresIn: 60, algorithm: 'HS384' }),
      undefined,
    ];
    for (const token of tokens) expect(() => verifyAccessToken(token, key, url)).toThrow(UnauthorizedError);
  });
});
