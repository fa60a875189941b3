import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot, runHostExpectingFailure } from '../helpers/host-process';

const broken = path.join(projectRoot, 'tests/fixtures/broken-app');

describe('the local host refuses to start a broken app, saying why', () => {
  it.each([
    ['route', /items\/\{id:nosuchconstraint\}/],
    ['schedule', /badSchedule.*0 \*\/5 \* \* \*|0 \*\/5 \* \* \*.*six fields/s],
    ['setting', /NO_SUCH_SETTING/],
    ['throw', /module-scope failure while loading the app/],
  ])('a %s problem stops start-up with a message naming it', async (kind, message) => {
    const { code, output } = await runHostExpectingFailure(broken, { BROKEN_KIND: kind });
    expect(code).toBe(1);
    expect(output).toMatch(/could not start/);
    expect(output).toMatch(message);
  });

  it('names every bad app setting of this project in one message', async () => {
    const { code, output } = await runHostExpectingFailure(projectRoot, {
      HTTP_MAX_BODY_BYTES: 'lots',
      CORS_ALLOWED_ORIGINS: 'ftp://files.example.com',
      LOG_LEVEL: 'loud',
    });
    expect(code).toBe(1);
    expect(output).toMatch(/Invalid app settings/);
    for (const name of ['HTTP_MAX_BODY_BYTES', 'CORS_ALLOWED_ORIGINS', 'LOG_LEVEL']) expect(output).toContain(name);
  });

  it('names a settings file given with --settings that does not exist', async () => {
    const { code, output } = await runHostExpectingFailure(projectRoot, {}, path.join(projectRoot, 'no-such.settings.json'));
    expect(code).toBe(1);
    expect(output).toMatch(/the settings file .*no-such\.settings\.json does not exist/);
  });

  it('says when package.json main matches nothing', async () => {
    const { code, output } = await runHostExpectingFailure(path.join(projectRoot, 'tests/fixtures'));
    expect(code).toBe(1);
    expect(output).toMatch(/No package.json|matches no file/);
  });
});
