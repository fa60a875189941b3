import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { noSettings, projectRoot, startHost, tempDir } from '../helpers/host-process';
import { api, IDENTITY_TEST_ENV, login } from '../helpers/identity';

const run = promisify(execFile);
// No ADMIN_EMAIL / ADMIN_PASSWORD bootstrap here: the script is what makes the admin.
const env = (dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const { ADMIN_EMAIL: _e, ADMIN_PASSWORD: _p, ...settings } = IDENTITY_TEST_ENV;
  return { ...process.env, ...settings, LOCAL_HOST_DATA_DIR: dataDir, ...extra };
};

describe('npm run create-admin and rotate-keys', () => {
  it('creates an admin the running app accepts; a weak password is refused with the reason', async () => {
    const dataDir = tempDir();
    const weak = await run(process.execPath, ['scripts/create-admin.mjs', '--email', 'ops@example.com', '--settings', noSettings], {
      cwd: projectRoot,
      env: env(dataDir, { ADMIN_PASSWORD: 'password1' }),
    }).catch((error) => error);
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/at least 10 characters/);
    const made = await run(process.execPath, ['scripts/create-admin.mjs', '--email', 'ops@example.com', '--settings', noSettings], {
      cwd: projectRoot,
      env: env(dataDir, { ADMIN_PASSWORD: 'Saffron-Tundra-Beacon-31' }),
    });
    expect(made.stdout).toMatch(/Admin account created/);

    const host = await startHost({ app: projectRoot, dataDir, args: ['--no-azurite'], env: env(dataDir) });
    try {
      const client = api(host);
      const admin = await login(client, 'ops@example.com', 'Saffron-Tundra-Beacon-31');
      expect(admin.user.roles).toEqual(['admin']);
      expect((await client.call('GET', 'v1/admin/users', { token: admin.accessToken })).status).toBe(200);

      // Rotation while the app runs: old tokens keep working, the JWKS publishes both keys.
      const rotated = await run(process.execPath, ['scripts/rotate-keys.mjs', '--settings', noSettings], { cwd: projectRoot, env: env(dataDir) });
      expect(rotated.stdout).toMatch(/\(retired\).*\(current\)/);
      const keys = JSON.parse(readFileSync(path.join(dataDir, 'identity-keys.json'), 'utf8')).signingKeys;
      expect(keys).toHaveLength(2);
      expect((await client.call('GET', 'v1/auth/me', { token: admin.accessToken })).status).toBe(200);
    } finally {
      await host.stop();
    }
  });
});
