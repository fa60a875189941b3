// node tests/helpers/registrations.mjs <app dir>: loads the app as the worker does (package.json `main`),
// through the local host's registry, and prints what it registered as JSON: each function with its
// bindings, and how many hooks of each kind. Run in a fresh process per app, so two apps never share a module cache.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const hostDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/local-host/dist');
const { FunctionRegistry } = require(path.join(hostDist, 'function-registry.js'));
const { installCoreModule, loadApp, resolveEntryFiles } = require(path.join(hostDist, 'app-loader.js'));
const { HostLogger } = require(path.join(hostDist, 'logger.js'));

const registry = new FunctionRegistry(new HostLogger('none', () => undefined));
installCoreModule(registry);
const { files } = await resolveEntryFiles(process.argv[2]);
await loadApp(registry, files);
const functions = [...registry.functions.values()].map((fn) => ({ name: fn.name, bindings: fn.metadata.bindings })).sort((a, b) => a.name.localeCompare(b.name));
const hooks = Object.fromEntries([...registry.hooks].map(([name, list]) => [name, list.length]));
process.stdout.write(`${JSON.stringify({ entryFiles: files.length, functions, hooks })}\n`);
