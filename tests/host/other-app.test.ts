import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, startHost, type RunningHost } from '../helpers/host-process';

// `npm run host -- --app <dir>` runs a v4 app that is not this project's (here CommonJS, no build).
let host: RunningHost;

beforeAll(async () => {
  host = await startHost({ app: path.join(projectRoot, 'tests/fixtures/cjs-app'), args: ['--no-azurite'] });
});
afterAll(async () => {
  await host?.stop();
});

describe('another v4 app through the local host', () => {
  it('serves its HTTP function with an optional route parameter', async () => {
    expect(await (await fetch(`${host.baseUrl}/api/hello/bob`)).json()).toEqual({ hello: 'bob', module: 'commonjs' });
    expect(await (await fetch(`${host.baseUrl}/api/hello`)).json()).toEqual({ hello: 'world', module: 'commonjs' });
  });

  it('lists its functions on the admin API', async () => {
    const functions = await (await fetch(`${host.baseUrl}/admin/functions`)).json();
    expect(functions).toEqual([expect.objectContaining({ name: 'hello', trigger: 'httpTrigger' })]);
  });

  it('stops with exit code 0 on SIGINT', async () => {
    expect(await host.stop('SIGINT')).toBe(0);
  });
});
