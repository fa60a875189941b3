// npm run package [-- --out <dir>]: the deploy package, dist/package/, and its exact bytes as dist/package.zip.
//
// esbuild bundles every functions/*.ts into app.mjs, the file package.json `main` names (the worker
// loads main; the entry imports the function files in the worker's name order), plus chunks for what
// the app imports lazily (PDF.js, zxcvbn's word lists, the providers' SDKs), read only when used.
// Left out: `@azure/functions-core` (the worker provides it), the local adapters
// (shared/adapters/local.ts: the embedded SQLite store and the mail/WhatsApp/key files, imported only
// when configured) with their native modules, and the local host. The one native module Azure runs
// (@node-rs/argon2) is installed into the package's node_modules for Linux x64 (glibc), the Flex
// Consumption platform, whatever machine packages it. azd deploys the folder (infra/azure.yaml
// `dist`); `azd deploy api --from-package dist/package.zip` uploads the zip as written.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, createWriteStream, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import yazl from 'yazl';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rootPackage = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

/** Installed in the package's node_modules rather than bundled: native code. */
const NATIVE = ['@node-rs/argon2'];
/** What the Functions worker provides at run time. */
const WORKER = ['@azure/functions-core'];
/** Never in the package: the local twins' native modules (reached only through the local adapters). */
const LOCAL_ONLY = ['better-sqlite3', 'sqlite-vec'];
/** The files of swagger-ui-dist that the docs page loads (shared/http/docs-page.ts). */
const SWAGGER_UI_FILES = ['package.json', 'LICENSE', 'NOTICE', 'swagger-ui.css', 'index.css', 'favicon-32x32.png', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js'];
/** One fixed time for every zip entry, so the same folder always gives the same bytes. */
const ZIP_MTIME = new Date('2020-01-01T00:00:00Z');

const localAdaptersPlugin = {
  name: 'local-adapters',
  setup(build) {
    // The composition root's `import('../adapters/local.js')` stays an import the package cannot satisfy.
    build.onResolve({ filter: /\/adapters\/local(\.js)?$/ }, (args) => ({ path: args.path, external: true }));
  },
};

/** The worker loads `main`'s files in name order; the one entry imports them in that order. */
function entrySource() {
  const files = readdirSync(path.join(root, 'functions'))
    .filter((file) => file.endsWith('.ts'))
    .sort();
  return files.map((file) => `import './functions/${file}';`).join('\n');
}

/** Builds the package into `target` (a folder, wiped first) and `target`.zip beside it. */
export async function buildPackage(target = path.join(root, 'dist/package')) {
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const result = await esbuild.build({
    stdin: { contents: entrySource(), resolveDir: root, sourcefile: 'app-entry.ts', loader: 'ts' },
    outdir: target,
    entryNames: 'app',
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    // ESM, split: what the app imports lazily (PDF.js, zxcvbn's word lists, Twilio) is a chunk of its own, read only when used.
    format: 'esm',
    splitting: true,
    target: 'node20.12',
    minify: true,
    keepNames: true, // error names and class names in logs stay readable
    legalComments: 'none',
    external: [...WORKER, ...NATIVE, ...LOCAL_ONLY, 'swagger-ui-dist'],
    plugins: [localAdaptersPlugin],
    // The CommonJS dependencies (@azure/functions, durable-functions, ...) call require().
    banner: { js: 'import{createRequire as __createRequire}from"node:module";const require=__createRequire(import.meta.url);' },
    metafile: true,
    logLevel: 'warning',
  });
  writeFileSync(path.join(path.dirname(target), `${path.basename(target)}.meta.json`), JSON.stringify(result.metafile));

  cpSync(path.join(root, 'host.json'), path.join(target, 'host.json'));
  const swaggerUi = path.join(root, 'node_modules/swagger-ui-dist');
  for (const file of SWAGGER_UI_FILES) cpSync(path.join(swaggerUi, file), path.join(target, 'node_modules/swagger-ui-dist', file));

  const installed = (name) => JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  const deployPackage = {
    name: rootPackage.name,
    version: rootPackage.version,
    private: true,
    description: 'The deploy package built by npm run package: do not edit',
    main: 'app.mjs',
    engines: rootPackage.engines,
    dependencies: Object.fromEntries(NATIVE.map((name) => [name, installed(name)])),
  };
  writeFileSync(path.join(target, 'package.json'), `${JSON.stringify(deployPackage, null, 2)}\n`);
  // The versions the app was built and tested with, for the platform Azure runs (from the npm cache when it has them).
  execFileSync('npm', ['install', '--omit=dev', '--os=linux', '--cpu=x64', '--libc=glibc', '--no-package-lock', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: target,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, npm_config_workspaces: 'false' },
  });
  rmSync(path.join(target, 'node_modules/.package-lock.json'), { force: true });

  const zipFile = `${target}.zip`;
  await writeZip(target, zipFile);
  return { dir: target, zip: zipFile, metafile: result.metafile };
}

/** Every file under `dir`, sorted, relative with forward slashes. */
function listFiles(dir, prefix = '') {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      return entry.isDirectory() ? listFiles(dir, relative) : [relative];
    });
}

function writeZip(dir, zipFile) {
  const zip = new yazl.ZipFile();
  for (const file of listFiles(dir)) {
    const mode = statSync(path.join(dir, file)).mode & 0o111 ? 0o100755 : 0o100644;
    zip.addFile(path.join(dir, file), file, { mtime: ZIP_MTIME, mode });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    zip.outputStream.pipe(createWriteStream(zipFile)).on('close', resolve).on('error', reject);
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const { dir, zip } = await buildPackage(values.out && path.resolve(values.out));
  const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);
  console.log(`Deploy package: ${path.relative(root, dir)}/ and ${path.relative(root, zip)} (${mb(statSync(zip).size)} MB)`);
}
