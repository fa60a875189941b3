import { describe, expect, it } from 'vitest';
import { SqliteDocumentStore } from '../../../../../shared/adapters/document-store/sqlite/sqlite-document-store';
import type { Principal } from '../../../../../shared/domain/identity/principal';
import { tempDir } from '../../../../helpers/host-process';
import { testApp } from '../../../../helpers/test-app';

// Two instances of the app over one store and one key file: the one that serves the requests has
// remembered the token's verification; the other signs the user out, suspends them or changes roles.
const dataDir = tempDir('fx-authenticator-');
const store = SqliteDocumentStore.open(':memory:');
const env = { LOCAL_HOST_DATA_DIR: dataDir, LOG_LEVEL: 'warn', ARGON2_MEMORY_KIB: '8192', ARGON2_TIME_COST: '1' };
const serving = testApp(env, { store });
const other = testApp(env, { store });
const client = { ip: '192.0.2.20', userAgent: 'vitest' };
const admin: Principal = { userId: 'admin-1', sessionId: 'admin-session', roles: ['admin'] };
let accounts = 0;

/** A new account, signed in, whose token the serving instance has verified (and so remembers). */
async function signedInOnServing() {
  const { service } = await other.identity();
  const { accessToken } = await service.register({ email: `user${++accounts}@example.com`, password: 'Quiet-Harbour-Lantern-42', displayName: 'User', accountType: 'client' }, client);
  const { authenticator } = await serving.identity();
  const authenticate = () => authenticator.authenticate(`Bearer ${accessToken}`);
  const principal = (await authenticate())!;
  expect(principal.roles).toEqual(['client']);
  return { principal, authenticate };
}

describe('a bearer token whose verification is remembered', () => {
  it('is refused on the next request once its session is signed out on another instance', async () => {
    const { principal, authenticate } = await signedInOnServing();
    await (await other.identity()).service.logout(principal, false, client);
    await expect(authenticate()).rejects.toMatchObject({ kind: 'unauthenticated', message: expect.stringMatching(/session .* has ended/) });
  });

  it('is refused on the next request once the account is suspended on another instance', async () => {
    const { principal, authenticate } = await signedInOnServing();
    await (await other.identity()).admin.updateUser(admin, principal.userId, { status: 'suspended' }, () => {}, client);
    await expect(authenticate()).rejects.toMatchObject({ kind: 'unauthenticated' });
  });

  it('carries the roles an admin set on another instance from the next request on, not the roles in the token', async () => {
    const { principal, authenticate } = await signedInOnServing();
    await (await other.identity()).admin.updateUser(admin, principal.userId, { roles: ['client', 'expert'] }, () => {}, client);
    await expect(authenticate()).resolves.toMatchObject({ userId: principal.userId, roles: ['client', 'expert'] });
  });
});
