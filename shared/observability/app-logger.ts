import { getConfig } from '../config';

/**
 * Logs from app code that runs outside an invocation (adapters, start-up), where there is no
 * `InvocationContext.log`. One JSON line per record through the console, which the Functions
 * worker forwards to the host's logs (Application Insights in Azure), filtered by `LOG_LEVEL`.
 */
export interface AppLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

type Level = keyof AppLogger;
const RANK: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function createAppLogger(minimum: Level = getConfig().logLevel, write: (level: Level, line: string) => void = toConsole): AppLogger {
  const at =
    (level: Level) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (RANK[level] >= RANK[minimum]) write(level, JSON.stringify({ level, message, ...fields }));
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function toConsole(level: Level, line: string): void {
  console[level](line);
}
