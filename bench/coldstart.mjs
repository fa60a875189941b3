// The deploy package against the unbundled app, in the same run.
//   npm run bench:coldstart [-- --runs 20]
// Size: the package folder and its zip (npm run package) against the unbundled app as it would ship
// without a bundle (dist/ plus the production dependency tree). Import: a fresh Node process per
// sample loads the entry as the worker does (the bundle's app.mjs; every dist/functions/*.js in name
// order) and reports the time spent; the two alternate so drift hits both. Goals: ≤ 25 MB, ≤ 300 ms.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildPackage } from '../scripts/package.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const RUNS = Number(values.runs);
const MB = 1024 * 1024;

/** Bytes of every file under `dir`, and how many there are. */
function folderSize(dir) {
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    bytes += statSync(path.join(entry.parentPath, entry.name)).size;
    files += 1;
  }
  return { bytes, files };
}

/** The unbundled app's deploy: its compiled code and the production dependency tree. */
function unbundledSize() {
  const packages = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable', '--workspaces=false'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * MB })
    .split('\n')
    .filter((dir) => dir.includes(`${path.sep}node_modules${path.sep}`));
  // Nested node_modules are counted once, under their outermost package.
  const outermost = [...new Set(packages)].filter((dir, _, all) => !all.some((other) => other !== dir && dir.startsWith(other + path.sep)));
  const parts = [...outermost, path.join(root, 'dist/functions'), path.join(root, 'dist/shared')].map(folderSize);
  return { bytes: parts.reduce((sum, part) => sum + part.bytes, 0), files: parts.reduce((sum, part) => sum + part.files, 0), packages: new Set(packages).size };
}

const IMPORT_BUNDLED = `const t = performance.now(); await import(${JSON.stringify(path.join(root, 'dist/package/app.mjs'))}); console.log(performance.now() - t);`;
const IMPORT_UNBUNDLED = `import { createRequire } from 'node:module'; import { readdirSync } from 'node:fs';
const dir = ${JSON.stringify(path.join(root, 'dist/functions'))}; const require = createRequire(dir + '/');
const t = performance.now(); for (const file of readdirSync(dir).filter((f) => f.endsWith('.js')).sort()) require(dir + '/' + file); console.log(performance.now() - t);`;

/** One fresh process: the milliseconds its import took (the last line it prints). */
function importMs(script) {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, LOCAL_HOST_DATA_DIR: path.join(root, '.data/bench-coldstart') },
  });
  return Number(out.trim().split('\n').at(-1));
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), min: sorted[0], max: sorted.at(-1) };
}

const { dir, zip } = await buildPackage();
const bundled = { ...folderSize(dir), zip: statSync(zip).size };
const unbundled = unbundledSize();

importMs(IMPORT_BUNDLED); // warms the file cache for both
importMs(IMPORT_UNBUNDLED);
const times = { bundled: [], unbundled: [] };
for (let run = 0; run < RUNS; run += 1) {
  times.bundled.push(importMs(IMPORT_BUNDLED));
  times.unbundled.push(importMs(IMPORT_UNBUNDLED));
}
const b = summary(times.bundled);
const u = summary(times.unbundled);
const ms = (value) => `${value.toFixed(0)} ms`;

console.log(`Deploy package (Node ${process.version}, ${RUNS} fresh processes each)\n`);
console.log(`size      bundled ${(bundled.zip / MB).toFixed(1)} MB zip, ${(bundled.bytes / MB).toFixed(1)} MB in ${bundled.files} files`);
console.log(`          unbundled ${(unbundled.bytes / MB).toFixed(1)} MB in ${unbundled.files} files (${unbundled.packages} production packages)`);
console.log(`          ratio ${(bundled.bytes / unbundled.bytes).toFixed(3)} (folder over folder)`);
console.log(`import    bundled   p50 ${ms(b.p50)}  p95 ${ms(b.p95)}  (min ${ms(b.min)}, max ${ms(b.max)})`);
console.log(`          unbundled p50 ${ms(u.p50)}  p95 ${ms(u.p95)}  (min ${ms(u.min)}, max ${ms(u.max)})`);
console.log(`          ratio p50 ${(b.p50 / u.p50).toFixed(2)}, p95 ${(b.p95 / u.p95).toFixed(2)} (bundled over unbundled)`);
console.log(`goals     package ≤ 25 MB: ${bundled.zip <= 25 * MB ? 'met' : 'missed'}; import ≤ 300 ms (p50): ${b.p50 <= 300 ? 'met' : 'missed'}`);
