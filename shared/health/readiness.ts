export interface DependencyCheck {
  name: string;
  /** Resolves when the dependency answers; rejects (or times out) when it does not. */
  probe: (signal: AbortSignal) => Promise<void>;
}

export interface DependencyStatus {
  name: string;
  status: 'up' | 'down';
  latencyMs: number;
  /** Why it is down, in words safe to show an operator (no secrets). */
  error?: string;
}

export interface ReadinessReport {
  status: 'ready' | 'not_ready';
  checkedAt: string;
  dependencies: DependencyStatus[];
}

/** Runs every check in parallel, each bounded by a timeout, and reports each one's status and latency. */
export async function checkReadiness(checks: DependencyCheck[], timeoutMs = 2_000): Promise<ReadinessReport> {
  const dependencies = await Promise.all(checks.map((check) => runCheck(check, timeoutMs)));
  return {
    status: dependencies.every((dependency) => dependency.status === 'up') ? 'ready' : 'not_ready',
    checkedAt: new Date().toISOString(),
    dependencies,
  };
}

async function runCheck(check: DependencyCheck, timeoutMs: number): Promise<DependencyStatus> {
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  try {
    await Promise.race([check.probe(controller.signal), new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason)))]);
    return { name: check.name, status: 'up', latencyMs: elapsed(started) };
  } catch (error) {
    return { name: check.name, status: 'down', latencyMs: elapsed(started), error: describe(error) };
  } finally {
    clearTimeout(timer);
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

/** A short reason: the error's code or first line, never a connection string or stack. */
function describe(error: unknown): string {
  if (error && typeof error === 'object') {
    const { code, statusCode, message } = error as { code?: unknown; statusCode?: unknown; message?: unknown };
    const first =
      typeof message === 'string'
        ? message
            .split('\n')[0]!
            .replace(/AccountKey=[^;]+/gi, 'AccountKey=***')
            .slice(0, 200)
        : '';
    return [typeof code === 'string' ? code : undefined, typeof statusCode === 'number' ? `HTTP ${statusCode}` : undefined, first].filter(Boolean).join(': ');
  }
  return String(error);
}
