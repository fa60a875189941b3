import { z } from 'zod';
import { parseTimeSpan } from '../timespan';
import type { QueueSettings } from './types';

/**
 * Per-entity settings in `local.settings.json` → `LocalServiceBus.entities`, spelled like the
 * Service Bus ARM/Bicep properties (TimeSpans as `hh:mm:ss`), so the local broker and the
 * Bicep declare the same thing the same way.
 */
const timeSpan = z.string().transform((value, ctx) => {
  try {
    return parseTimeSpan(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

const entitySettingsSchema = z
  .object({
    kind: z.enum(['queue', 'topic']).optional(),
    maxDeliveryCount: z.number().int().min(1).max(2000).optional(),
    lockDuration: timeSpan.optional(),
    defaultMessageTimeToLive: timeSpan.optional(),
    duplicateDetectionHistoryTimeWindow: timeSpan.optional(),
    requiresDuplicateDetection: z.boolean().optional(),
    deadLetteringOnMessageExpiration: z.boolean().optional(),
  })
  .strict();

export interface LocalEntitySettings {
  kind?: 'queue' | 'topic';
  settings: Partial<QueueSettings>;
}

export function parseEntitySettings(name: string, raw: unknown): LocalEntitySettings {
  const parsed = entitySettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'value'}: ${issue.message}`).join('; ');
    throw new Error(`local.settings.json LocalServiceBus.entities["${name}"] is invalid: ${problems}`);
  }
  const value = parsed.data;
  const settings: Partial<QueueSettings> = {};
  if (value.maxDeliveryCount !== undefined) settings.maxDeliveryCount = value.maxDeliveryCount;
  if (value.lockDuration !== undefined) settings.lockDurationMs = value.lockDuration;
  if (value.defaultMessageTimeToLive !== undefined) settings.defaultMessageTimeToLiveMs = value.defaultMessageTimeToLive;
  if (value.deadLetteringOnMessageExpiration !== undefined) settings.deadLetteringOnMessageExpiration = value.deadLetteringOnMessageExpiration;
  if (value.requiresDuplicateDetection === false) settings.duplicateDetectionWindowMs = 0;
  else if (value.duplicateDetectionHistoryTimeWindow !== undefined) settings.duplicateDetectionWindowMs = value.duplicateDetectionHistoryTimeWindow;
  return { kind: value.kind, settings };
}
