// npm run bench:identity — what identity costs, in one run:
//   1. The same GET through the same wrapper, public vs signed-in (ES256 verification plus the
//      session read), alternating rounds; throughput ratio, latency percentiles, and the host's
//      CPU time per request (Linux), which other work on the machine disturbs less than req/s.
//   2. Login latency with the configured Argon2id cost (sequential, so it is the hash, not queueing).
// Both GETs are counted against the same rate-limit tier (set high here), so the ratio isolates authentication.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const logins = Number(process.env.BENCH_LOGINS ?? 30);
const argon2 = { memoryKiB: process.env.ARGON2_MEMORY_KIB ?? '19456', timeCost: process.env.ARGON2_TIME_COST ?? '2', parallelism: process.env.ARGON2_PARALLELISM ?? '1' };

const host = await new Promise((resolve, reject) => {
  const child = spawn(
    process.execPath,
    [
      path.join(root, 'shared/local-host/dist/cli.js'),
      '--app',
      path.join(root, 'bench/identity-app'),
      '--port',
      '0',
      '--no-azurite',
      '--data-dir',
      mkdtempSync(path.join(tmpdir(), 'bench-identity-')),
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        LOCAL_HOST_LOG_LEVEL: 'warning',
        LOG_LEVEL: 'warn',
        RATE_LIMIT_READ: '999999/1',
        RATE_LIMIT_CREDENTIALS: '100000/60',
        ARGON2_MEMORY_KIB: argon2.memoryKiB,
        ARGON2_TIME_COST: argon2.timeCost,
        ARGON2_PARALLELISM: argon2.parallelism,
      },
    },
  );
  let output = '';
  const onData = (chunk) => {
    output += chunk;
    const match = /Host status: (http:\/\/[^/\s]+)\//.exec(output);
    if (match)
      resolve({
        baseUrl: match[1],
        pid: child.pid,
        stop: () =>
          new Promise((done) => {
            child.once('exit', done);
            child.kill('SIGTERM');
          }),
      });
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', (chunk) => (output += chunk));
  child.once('exit', (code) => reject(new Error(`host exited ${code}: ${output}`)));
});

const post = async (route, body) => {
  const response = await fetch(`${host.baseUrl}/api/${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`);
  return response.json();
};

const account = { email: 'bench@example.com', password: 'Bench-Marsh-Harbour-93', displayName: 'Bench', accountType: 'client' };
const { accessToken } = await post('v1/auth/register', account);

/** The host's user + system CPU time in ms (every thread), or NaN where /proc is not there. */
const hostCpuMs = () => {
  try {
    const fields = readFileSync(`/proc/${host.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms
  } catch {
    return Number.NaN;
  }
};
const load = (url, headers = {}) => new Promise((resolve, reject) => autocannon({ url, connections, duration: seconds, headers }, (error, result) => (error ? reject(error) : resolve(result))));
const targets = {
  public: [`${host.baseUrl}/api/bench/public`, {}],
  signedIn: [`${host.baseUrl}/api/bench/signed-in`, { authorization: `Bearer ${accessToken}` }],
};
for (const [url, headers] of Object.values(targets)) await new Promise((resolve) => autocannon({ url, connections, duration: 2, headers }, resolve));
const results = { public: [], signedIn: [] };
for (let round = 0; round < rounds; round++) {
  for (const name of round % 2 === 0 ? ['public', 'signedIn'] : ['signedIn', 'public']) {
    const cpuBefore = hostCpuMs();
    const result = await load(...targets[name]);
    const cpuUs = ((hostCpuMs() - cpuBefore) * 1000) / result.requests.total;
    if (result.non2xx || result.errors) throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    results[name].push({ rps: result.requests.average, p50: result.latency.p50, p97_5: result.latency.p97_5, p99: result.latency.p99, cpuUs });
  }
}

const loginMs = [];
for (let i = 0; i < logins; i++) {
  const started = performance.now();
  await post('v1/auth/login', { email: account.email, password: account.password });
  loginMs.push(performance.now() - started);
}
await host.stop();

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];
const summary = Object.fromEntries(
  Object.entries(results).map(([name, runs]) => [name, Object.fromEntries(['rps', 'p50', 'p97_5', 'p99', 'cpuUs'].map((key) => [key, median(runs.map((run) => run[key]))]))]),
);
const ratio = summary.signedIn.rps / summary.public.rps;
const fmt = (n) => n.toFixed(0).padStart(8);
console.log(`\nSame GET through the same wrapper, ${connections} connections, ${rounds}×${seconds}s per target (median of rounds)`);
console.log(`                 req/s    p50 ms p97.5 ms   p99 ms  host CPU µs/request`);
for (const name of ['public', 'signedIn'])
  console.log(`${name.padEnd(12)} ${fmt(summary[name].rps)} ${fmt(summary[name].p50)} ${fmt(summary[name].p97_5)} ${fmt(summary[name].p99)} ${fmt(summary[name].cpuUs)}`);
console.log(`req/s per round: public ${results.public.map((run) => run.rps.toFixed(0)).join(', ')}; signed-in ${results.signedIn.map((run) => run.rps.toFixed(0)).join(', ')}`);
console.log(`signed-in / public throughput: ${ratio.toFixed(2)} (target ≥ 0.90); host CPU per request, public / signed-in: ${(summary.public.cpuUs / summary.signedIn.cpuUs).toFixed(2)}`);
console.log(
  `\nLogin, ${logins} sequential, Argon2id m=${argon2.memoryKiB} KiB t=${argon2.timeCost} p=${argon2.parallelism}: p50 ${percentile(loginMs, 50).toFixed(0)} ms, p90 ${percentile(loginMs, 90).toFixed(0)} ms, max ${Math.max(...loginMs).toFixed(0)} ms`,
);
if (ratio < 0.9) process.exitCode = 1;
