import type { RpcLogCategory, RpcLogLevel } from './core-types';

const LEVELS: Record<RpcLogLevel, number> = {
  trace: 0,
  debug: 1,
  information: 2,
  warning: 3,
  error: 4,
  critical: 5,
  none: 6,
};

export interface LogRecord {
  level: RpcLogLevel;
  category: RpcLogCategory;
  message: string;
  functionName?: string;
  invocationId?: string;
}

/** The host's log sink: one line per record, like the Core Tools console. */
export class HostLogger {
  /** Sees (and, for user logs, may rewrite) every record first: the app's `log` hooks. */
  interceptor: ((record: LogRecord) => void) | undefined;
  private intercepting = false;

  constructor(
    private readonly minimum: RpcLogLevel = 'information',
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {}

  /** Lets hot paths skip building a message nobody will see. */
  enabled(level: RpcLogLevel): boolean {
    return LEVELS[level] >= LEVELS[this.minimum] || this.interceptor !== undefined;
  }

  log(level: RpcLogLevel, category: RpcLogCategory, message: string, functionName?: string, invocationId?: string): void {
    if (this.interceptor && !this.intercepting) {
      // A hook that logs must not re-enter the hooks.
      const record: LogRecord = { level, category, message, functionName, invocationId };
      this.intercepting = true;
      try {
        this.interceptor(record);
      } finally {
        this.intercepting = false;
      }
      if (category === 'user') ({ level, message } = record);
    }
    if (LEVELS[level] < LEVELS[this.minimum]) return;
    const where = functionName ? ` [${functionName}${invocationId ? ` ${invocationId}` : ''}]` : '';
    this.write(`[${new Date().toISOString()}] ${level.toUpperCase()}${where} ${message}`);
  }

  info(message: string): void {
    this.log('information', 'system', message);
  }

  warn(message: string): void {
    this.log('warning', 'system', message);
  }

  error(message: string): void {
    this.log('error', 'system', message);
  }
}

export function parseLogLevel(value: string | undefined): RpcLogLevel {
  const normalized = (value ?? '').toLowerCase();
  const aliases: Record<string, RpcLogLevel> = { info: 'information', warn: 'warning' };
  const level = aliases[normalized] ?? normalized;
  return level in LEVELS ? (level as RpcLogLevel) : 'information';
}
