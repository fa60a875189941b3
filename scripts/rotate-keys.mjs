// npm run rotate-keys [-- --data-dir <dir>] [--settings <file>]: adds a new signing key (it signs from now on) and drops
// retired keys no unexpired token can need. The previous key keeps verifying tokens it signed
// until they expire. Uses the app's settings: the Key Vault secret in Azure, the local key file here.
// Running instances pick the new key up within a minute (they reload on an unknown kid).
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, settings: { type: 'string' } } });
const { readLocalSettings, applySettingsToEnvironment } = require('../shared/local-host/dist/settings.js');
applySettingsToEnvironment(readLocalSettings(root, values.settings).values);
process.env.LOCAL_HOST_DATA_DIR ??= path.resolve(values['data-dir'] ?? path.join(root, '.data'));

const { appRoot } = require('../dist/shared/composition/index.js');
const { rotateSigningKey, pruneRetiredKeys } = require('../dist/shared/domain/identity/key-ring.js');
const app = appRoot();
const store = await app.adapters.keys();
const rotated = pruneRetiredKeys(await rotateSigningKey(await store.load()), app.config.identity.accessTokenTtlSeconds);
await store.save(rotated);
console.log(`Signing keys now: ${rotated.signingKeys.map((key) => `${key.kid}${key.retiredAt ? ' (retired)' : ' (current)'}`).join(', ')}`);
