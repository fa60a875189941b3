// npm run create-admin -- --email admin@example.com   (password from ADMIN_PASSWORD, else stdin)
// Creates an admin account in the store the app uses (the same settings as `npm start`: the
// environment, then local.settings.json; --data-dir and --settings like the local host's), or promotes an
// existing account with that email. Runs on the built app.
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { email: { type: 'string' }, 'data-dir': { type: 'string' }, settings: { type: 'string' } } });

const { readLocalSettings, applySettingsToEnvironment } = require('../shared/local-host/dist/settings.js');
applySettingsToEnvironment(readLocalSettings(root, values.settings).values);
process.env.LOCAL_HOST_DATA_DIR ??= path.resolve(values['data-dir'] ?? path.join(root, '.data'));

const email = values.email ?? process.env.ADMIN_EMAIL;
if (!email) fail('Name the account: --email <address> (or ADMIN_EMAIL).');
const password = process.env.ADMIN_PASSWORD ?? (process.stdin.isTTY ? fail('Set ADMIN_PASSWORD or pipe the password on stdin.') : await readStdin());

// The settings schema wants ADMIN_EMAIL beside ADMIN_PASSWORD.
process.env.ADMIN_EMAIL = email;
process.env.ADMIN_PASSWORD = password;
const { appRoot } = require('../dist/shared/composition/index.js');
const app = appRoot();
try {
  const outcome = await (await app.identity()).service.ensureAdmin(email, password, false);
  console.log({ created: `Admin account created for ${email}.`, promoted: `${email} already had an account; it is now an admin.`, exists: `${email} is already an admin.` }[outcome]);
} catch (error) {
  fail(error.issues?.length ? `${error.message} (${error.issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ')})` : error.message);
} finally {
  await app.adapters.store.close();
}

async function readStdin() {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text.replace(/\r?\n$/, '');
}

function fail(message) {
  console.error(message);
  process.exit(1);
}
