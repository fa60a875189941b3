import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot, runHostExpectingFailure } from '../helpers/host-process';

describe('identity at start-up', () => {
  it('refuses to start an app with an HTTP function that declares no auth policy', async () => {
    const { code, output } = await runHostExpectingFailure(path.join(projectRoot, 'tests/fixtures/no-policy-app'));
    expect(code).toBe(1);
    expect(output).toMatch(/HTTP function "openDoor" has no auth policy/);
  });

  it('refuses to bootstrap an admin with a weak ADMIN_PASSWORD, saying why', async () => {
    const { code, output } = await runHostExpectingFailure(projectRoot, { ADMIN_EMAIL: 'boss@example.com', ADMIN_PASSWORD: 'password1234' });
    expect(code).toBe(1);
    expect(output).toMatch(/could not start/);
    expect(output).toMatch(/password is too weak/i);
  });
});
