import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const projectRoot = path.resolve(__dirname, '../..');
const cli = path.join(projectRoot, 'shared/local-host/dist/cli.js');
/**
 * The settings the suite runs this project with (none): the project's own local.settings.json is
 * the developer's (`npm start` writes it) and never the suite's. Pass it as `--settings` to the scripts too.
 */
export const noSettings = path.join(projectRoot, 'tests/fixtures/no-settings.json');

export interface RunningHost {
  baseUrl: string;
  dataDir: string;
  output: () => string;
  /** Sends a signal and resolves with the exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
  child: ChildProcess;
}

export function tempDir(prefix = 'fx-host-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/**
 * Starts the built local host CLI on a free port and waits until it reports ready. Its state is
 * in a fresh temp dir unless `dataDir` is given; its settings are `settings`, else the app's own
 * local.settings.json for a fixture app, else none for this project (see `noSettings`).
 */
export async function startHost(options: {
  app: string;
  dataDir?: string;
  settings?: string;
  env?: NodeJS.ProcessEnv;
  args?: string[];
  timeoutMs?: number;
  /** Own process group (the host and what it spawns), so a test can kill them all at once. */
  detached?: boolean;
}): Promise<RunningHost> {
  const dataDir = options.dataDir ?? tempDir();
  const child = spawn(process.execPath, hostArgs(options.app, dataDir, options.settings, options.args), {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached,
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start:\n${output}`)), options.timeoutMs ?? 20_000);
    const check = () => {
      const match = /Host status: (http:\/\/[^/\s]+)\/admin\/host\/status/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code}:\n${output}`));
    });
  });
  return {
    baseUrl,
    dataDir,
    child,
    output: () => output,
    /** Signals the host, or with `detached` its whole process group (as a crash takes them all). */
    stop: async (signal = 'SIGTERM') => {
      // A host killed by a signal keeps exitCode null: its signalCode says it is gone.
      if (child.exitCode === null && child.signalCode === null) {
        if (options.detached) process.kill(-child.pid!, signal);
        else child.kill(signal);
      }
      return exited;
    },
  };
}

function hostArgs(app: string, dataDir: string, settings = path.resolve(app) === projectRoot ? noSettings : undefined, args: string[] = []): string[] {
  return [cli, '--app', app, '--port', '0', '--data-dir', dataDir, ...(settings ? ['--settings', settings] : []), ...args];
}

/** Runs the CLI expecting it to fail; resolves with its exit code and output. */
export async function runHostExpectingFailure(app: string, env: Record<string, string> = {}, settings?: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, hostArgs(app, tempDir(), settings, ['--no-azurite']), {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output };
}

export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
