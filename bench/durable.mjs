// npm run bench:durable: the Durable engine in the local host under load.
//   1,000 instances of a three-activity orchestration (fixture ThreeSteps) started at once through
//   the HTTP API; time until all complete, instances per second, host CPU per instance,
//   per-episode latency percentiles of the engine's own work against the orchestrator
//   function's invocation in the same episodes (the baseline), and history growth per instance. BENCH_PROF=<dir> writes a CPU profile of the host.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'shared/local-host/dist/cli.js');
const instances = Number(process.env.BENCH_INSTANCES ?? 1000);

const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-durable-'));
const child = spawn(
  process.execPath,
  [
    ...(process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []),
    cli,
    '--app',
    path.join(root, 'tests/fixtures/durable-app'),
    '--port',
    '0',
    '--no-azurite',
    '--data-dir',
    dataDir,
  ],
  {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOCAL_HOST_LOG_LEVEL: 'warning', DURABLE_MARKERS: dataDir },
  },
);
let output = '';
const baseUrl = await new Promise((resolve, reject) => {
  child.stdout.on('data', (chunk) => {
    output += chunk;
    const match = /Host status: (http:\/\/[^/\s]+)\//.exec(output);
    if (match) resolve(match[1]);
  });
  child.stderr.on('data', (chunk) => (output += chunk));
  child.once('exit', (code) => reject(new Error(`host exited ${code}: ${output}`)));
});

const api = `${baseUrl}/runtime/webhooks/durabletask`;
const cpuBefore = (await (await fetch(`${baseUrl}/admin/durable`)).json()).engine.processCpuMs;
const started = performance.now();
await Promise.all(
  Array.from({ length: instances }, async () => {
    const response = await fetch(`${api}/orchestrators/ThreeSteps`, { method: 'POST' });
    if (response.status !== 202) throw new Error(`start answered ${response.status}`);
    await response.arrayBuffer();
  }),
);
const accepted = performance.now() - started;
let view;
for (;;) {
  view = await (await fetch(`${baseUrl}/admin/durable`)).json();
  if ((view.counts.Completed ?? 0) + (view.counts.Failed ?? 0) >= instances) break;
  await new Promise((resolve) => setTimeout(resolve, 20));
}
const elapsed = performance.now() - started;
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));

if (view.counts.Failed) throw new Error(`${view.counts.Failed} instances failed`);
const { engine, history } = view;
const ratio = (a, b) => (b ? (a / b).toFixed(2) : 'n/a');
console.log(`Durable engine: ${instances} × ThreeSteps (3 activities each), started at once`);
console.log(`  all started (202) after ${accepted.toFixed(0)} ms; all completed after ${elapsed.toFixed(0)} ms → ${(instances / (elapsed / 1000)).toFixed(0)} instances/s`);
console.log(`  episodes ${engine.episodes} (${(engine.episodes / instances).toFixed(1)}/instance), activities ${engine.activities}`);
console.log(`  host CPU per instance (start request, 4 episodes, 3 activities, commits): ${((engine.processCpuMs - cpuBefore) / instances).toFixed(2)} ms`);
console.log(`  per episode, wall ms   mean    p50    p99   (latency under load: queueing and group commit included)`);
for (const [label, figures] of [
  ['episode (wall)', engine.episodeMs],
  ['orchestrator fn', engine.orchestratorMs],
  ['engine overhead', engine.engineOverheadMs],
]) {
  console.log(`  ${label.padEnd(20)} ${String(figures.mean).padStart(6)} ${String(figures.p50).padStart(6)} ${String(figures.p99).padStart(6)}`);
}
console.log(`  engine share of an episode's latency (p50): ×${ratio(engine.engineOverheadMs.p50, engine.orchestratorMs.p50)} the orchestrator invocation`);
console.log(`  history per instance: ${(history.events / instances).toFixed(1)} events, ${(history.bytes / instances / 1024).toFixed(2)} KiB`);
