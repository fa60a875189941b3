import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPromise } from 'yauzl';
import { docsPageHtml } from '../../shared/http/docs-page';

// `npm run package` as azd runs it, into a folder of its own; then what is in it, and what it registers.
const root = path.resolve(__dirname, '../..');
const work = mkdtempSync(path.join(tmpdir(), 'fx-package-'));
const dir = path.join(work, 'package');

interface Metafile {
  inputs: Record<string, unknown>;
  outputs: Record<string, { imports: { path: string; external?: boolean }[] }>;
}
let metafile: Metafile;

/** Never deployed: the local host, the local twins and the native modules only they use. */
const LOCAL_ONLY =
  /(^|\/)(node_modules\/(better-sqlite3|sqlite-vec|azurite|ws|tinyglobby|@foodxchange\/local-host)\/|shared\/local-host\/|shared\/adapters\/(local\.ts|message-files\.ts|document-store\/sqlite\/|(mail|whatsapp|key-material)\/files\.ts))/;

function files(folder: string, prefix = ''): string[] {
  return readdirSync(path.join(folder, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? files(folder, relative) : [relative];
  });
}

/** What an app registers with the worker, loaded the worker's way (package.json `main`) in a fresh process. */
function registrations(app: string): unknown {
  return JSON.parse(execFileSync(process.execPath, [path.join(root, 'tests/helpers/registrations.mjs'), app], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
}

beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, 'scripts/package.mjs'), '--out', dir], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  metafile = JSON.parse(readFileSync(`${dir}.meta.json`, 'utf8'));
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the deploy package (npm run package)', () => {
  it('bundles no local-only module: the local host, the local adapters, better-sqlite3, sqlite-vec, azurite, ws', () => {
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.some((input) => input.startsWith('functions/'))).toBe(true);
    expect(inputs.filter((input) => LOCAL_ONLY.test(input))).toEqual([]);
  });

  it('leaves out only what the worker provides, the native argon2 and the local adapters', () => {
    const externals = new Set(Object.values(metafile.outputs).flatMap((output) => output.imports.filter((i) => i.external && !/^(node:)?[a-z_\d/]+$/.test(i.path)).map((i) => i.path)));
    expect([...externals].sort()).toEqual(['../adapters/local.js', '@azure/functions-core', '@node-rs/argon2']);
  });

  it('holds the bundle, host.json and only the packages installed beside it (argon2 for Linux x64)', () => {
    const listed = files(dir);
    expect(listed.filter((file) => LOCAL_ONLY.test(file) || /better-sqlite3|sqlite-vec|azurite/.test(file))).toEqual([]);
    expect(listed).toEqual(expect.arrayContaining(['app.mjs', 'host.json', 'package.json', 'node_modules/swagger-ui-dist/swagger-ui-bundle.js']));
    expect(readdirSync(path.join(dir, 'node_modules')).sort()).toEqual(['@node-rs', 'swagger-ui-dist']);
    expect(readdirSync(path.join(dir, 'node_modules/@node-rs')).sort()).toEqual(['argon2', 'argon2-linux-x64-gnu']);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(manifest.main).toBe('app.mjs');
    expect(Object.keys(manifest.dependencies)).toEqual(['@node-rs/argon2']);
  });

  it('holds every file the docs page loads, where the bundle resolves swagger-ui-dist', () => {
    const folder = path.dirname(require.resolve('swagger-ui-dist/package.json', { paths: [dir] }));
    expect(folder).toBe(path.join(dir, 'node_modules/swagger-ui-dist'));
    const loaded = [...docsPageHtml('/api/docs').matchAll(/(?:href|src)="\/api\/docs\/([^"]+)"/g)].map((match) => match[1]!);
    expect(loaded.length).toBeGreaterThan(3);
    expect(loaded.filter((file) => file !== 'swagger-initializer.js' && !existsSync(path.join(folder, file)))).toEqual([]);
  });

  it('writes the folder as a zip, file for file, under 25 MB', async () => {
    const zip = await openPromise(`${dir}.zip`, { lazyEntries: true });
    const entries: [string, number][] = [];
    for await (const entry of zip.eachEntry()) entries.push([entry.fileName, entry.uncompressedSize]);
    expect(entries.sort()).toEqual(
      files(dir)
        .map((file): [string, number] => [file, statSync(path.join(dir, file)).size])
        .sort(),
    );
    expect(statSync(`${dir}.zip`).size).toBeLessThan(25 * 1024 * 1024);
  });

  it('registers the same functions, bindings and hooks as the unbundled app', () => {
    const bundled = registrations(dir) as { entryFiles: number; functions: { name: string }[] };
    const unbundled = registrations(root) as { entryFiles: number; functions: { name: string }[] };
    expect(bundled.entryFiles).toBe(1);
    expect(unbundled.functions.length).toBeGreaterThan(50);
    expect({ ...bundled, entryFiles: undefined }).toEqual({ ...unbundled, entryFiles: undefined });
  });
});
