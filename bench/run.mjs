// npm run bench: measures the local host against baselines in the same run.
//   1. HTTP: a trivial JSON function through the host vs a bare node:http server returning the
//      same bytes (throughput ratio, p50/p99 latency), alternating rounds so drift hits both.
//   2. Start-up: `node shared/local-host/dist/cli.js --app .` (with Azurite) until ready.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'shared/local-host/dist/cli.js');
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);

function startProcess(args, readyPattern) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOCAL_HOST_LOG_LEVEL: 'warning' } });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      const match = readyPattern.exec(output);
      if (match)
        resolve({
          child,
          match,
          stop: () =>
            new Promise((done) => {
              child.once('exit', done);
              child.kill('SIGTERM');
            }),
        });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
}

function load(url) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration: seconds, pipelining: 1 }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function httpBench() {
  const bare = await startProcess([path.join(root, 'bench/bare-server.cjs')], /listening (\d+)/);
  const host = await startProcess(
    [cli, '--app', path.join(root, 'bench/app'), '--port', '0', '--no-azurite', '--data-dir', mkdtempSync(path.join(tmpdir(), 'bench-'))],
    /Host status: (http:\/\/[^/\s]+)\//,
  );
  const targets = { bare: `http://127.0.0.1:${bare.match[1]}/api/ping`, host: `${host.match[1]}/api/ping` };
  // Warm up both (JIT, connection pools).
  for (const url of Object.values(targets)) await new Promise((resolve) => autocannon({ url, connections, duration: 2 }, resolve));
  const results = { bare: [], host: [] };
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 === 0 ? ['bare', 'host'] : ['host', 'bare']) {
      const result = await load(targets[name]);
      if (result.non2xx || result.errors) throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      results[name].push({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 });
    }
  }
  await Promise.all([bare.stop(), host.stop()]);
  const summary = Object.fromEntries(
    Object.entries(results).map(([name, runs]) => [name, { rps: median(runs.map((r) => r.rps)), p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)) }]),
  );
  return { ...summary, ratio: summary.host.rps / summary.bare.rps };
}

async function startupBench(times = 3) {
  const durations = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    const host = await startProcess([cli, '--app', root, '--port', '0', '--data-dir', mkdtempSync(path.join(tmpdir(), 'bench-start-'))], /Host status: (http:\/\/[^/\s]+)\//);
    const status = await (await fetch(`${host.match[1]}/admin/host/status`)).json();
    if (status.state !== 'Running') throw new Error(`host state ${status.state}`);
    durations.push(performance.now() - started);
    await host.stop();
  }
  return { medianMs: median(durations), runsMs: durations.map(Math.round) };
}

const http = await httpBench();
const startup = await startupBench();
const fmt = (n) => n.toFixed(0).padStart(8);
console.log(`\nHTTP, trivial JSON function, ${connections} connections, ${rounds}×${seconds}s per target (median of rounds)`);
console.log(`                     req/s      p50 ms   p99 ms`);
console.log(`bare node:http   ${fmt(http.bare.rps)}   ${fmt(http.bare.p50)} ${fmt(http.bare.p99)}`);
console.log(`local host       ${fmt(http.host.rps)}   ${fmt(http.host.p50)} ${fmt(http.host.p99)}`);
console.log(`host / bare throughput: ${(http.ratio * 100).toFixed(1)}% (target ≥ 45%)`);
console.log(`\nStart-up to Running with Azurite (this app, built): median ${Math.round(startup.medianMs)} ms, runs ${startup.runsMs.join(', ')} ms (target < 3000 ms)`);
if (http.ratio < 0.45) process.exitCode = 1;
