import { describe, expect, it } from 'vitest';
import { createAppLogger } from '../../../../shared/observability/app-logger';

describe('app logger', () => {
  it('writes one JSON line per record at or above the minimum level', () => {
    const lines: [string, string][] = [];
    const logger = createAppLogger('info', (level, line) => lines.push([level, line]));
    logger.debug('hidden', { requestCharge: 1 });
    logger.info('shown', { container: 'experts' });
    logger.error('bad');
    expect(lines).toEqual([
      ['info', JSON.stringify({ level: 'info', message: 'shown', container: 'experts' })],
      ['error', JSON.stringify({ level: 'error', message: 'bad' })],
    ]);
  });

  it('includes debug records when the minimum is debug', () => {
    const lines: string[] = [];
    createAppLogger('debug', (_level, line) => lines.push(line)).debug('Cosmos DB request', { requestCharge: 2.5 });
    expect(JSON.parse(lines[0]!)).toEqual({ level: 'debug', message: 'Cosmos DB request', requestCharge: 2.5 });
  });
});
