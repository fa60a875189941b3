import Module from 'node:module';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { glob } from 'tinyglobby';
import type { FunctionRegistry } from './function-registry';

type ModuleLoad = (request: string, parent: unknown, isMain: boolean) => unknown;
const moduleInternals = Module as unknown as { _load: ModuleLoad };

/**
 * Makes `require('@azure/functions-core')` return this host's core API, as the real worker does
 * by hooking the module loader before it loads the app. Returns a function that undoes it.
 */
export function installCoreModule(registry: FunctionRegistry): () => void {
  const original = moduleInternals._load;
  const core = registry.coreModule();
  moduleInternals._load = function load(this: unknown, request: string, parent: unknown, isMain: boolean) {
    if (request === '@azure/functions-core') return core;
    return original.call(this, request, parent, isMain);
  };
  return () => {
    moduleInternals._load = original;
  };
}

/** The files the worker loads: the app's `package.json` `main` (a path or a glob), or the given file. */
export async function resolveEntryFiles(appPath: string): Promise<{ appDir: string; files: string[] }> {
  const absolute = path.resolve(appPath);
  if (!existsSync(absolute)) throw new Error(`App not found: ${absolute}`);
  if (statSync(absolute).isFile()) return { appDir: path.dirname(absolute), files: [absolute] };
  const packageFile = path.join(absolute, 'package.json');
  if (!existsSync(packageFile)) throw new Error(`No package.json in ${absolute}; pass --app <dir with package.json> or an entry file.`);
  const main: unknown = JSON.parse(readFileSync(packageFile, 'utf8')).main;
  const pattern = typeof main === 'string' && main.trim() ? main.trim() : 'index.js';
  const files = (await glob(pattern, { cwd: absolute, absolute: true, onlyFiles: true })).sort();
  if (files.length === 0) throw new Error(`package.json "main" (${pattern}) matches no file in ${absolute}. Did you build the app?`);
  return { appDir: absolute, files };
}

/**
 * Loads every entry file (CommonJS or ESM alike, through `import()`), then asks the programming
 * model for its capabilities, which locks `app.setup` exactly as the worker does.
 */
export async function loadApp(registry: FunctionRegistry, files: string[]): Promise<void> {
  for (const file of files) {
    await import(pathToFileURL(file).href);
  }
  await registry.programmingModel?.getCapabilities({});
  registry.lock();
}
