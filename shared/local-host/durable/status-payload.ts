import type { InstanceRow } from './durable-store';
import { EVENT_TYPE_NAMES, EventType, parseJsonText, wireTime, type HistoryEvent } from './history';

/** `StatusResponsePayload` as the extension writes it; `input` and `output` are always present (the client rejects undefined). */
export function statusPayload(row: InstanceRow, options: { showInput: boolean; history?: HistoryEvent[]; showHistoryOutput?: boolean }): Record<string, unknown> {
  return {
    name: row.name,
    instanceId: row.instanceId,
    runtimeStatus: row.status,
    input: options.showInput ? parseJsonText(row.input) : null,
    customStatus: parseJsonText(row.customStatus),
    output: parseJsonText(row.output),
    createdTime: wireTime(row.createdAt),
    lastUpdatedTime: wireTime(row.updatedAt),
    ...(options.history ? { historyEvents: historyForStatus(options.history, options.showInput, options.showHistoryOutput === true) } : {}),
  };
}

const MERGED = new Set<number>([EventType.TaskScheduled, EventType.SubOrchestrationInstanceCreated]);
const HIDDEN = new Set<number>([EventType.OrchestratorStarted, EventType.OrchestratorCompleted]);
const COMPLETIONS = new Set<number>([EventType.TaskCompleted, EventType.TaskFailed, EventType.SubOrchestrationInstanceCompleted, EventType.SubOrchestrationInstanceFailed]);

/**
 * History as the status API shows it: event types as names, episode markers dropped, each
 * scheduling event folded into its completion (which gains `FunctionName` and `ScheduledTime`),
 * inputs only with `showInput` and results only with `showHistoryOutput`.
 */
function historyForStatus(history: HistoryEvent[], showInput: boolean, showOutput: boolean): Record<string, unknown>[] {
  const scheduled = new Map<number, HistoryEvent>();
  for (const event of history) if (MERGED.has(event.EventType)) scheduled.set(event.EventId, event);
  const completed = new Set<number>();
  for (const event of history) if (COMPLETIONS.has(event.EventType)) completed.add(Number(event.TaskScheduledId));

  const shown: Record<string, unknown>[] = [];
  for (const event of history) {
    if (HIDDEN.has(event.EventType)) continue;
    if (MERGED.has(event.EventType) && completed.has(event.EventId)) continue;
    const { EventType: type, EventId: _id, IsPlayed: _played, TaskScheduledId: taskId, Input, Result, Name, ...rest } = event;
    const entry: Record<string, unknown> = { EventType: EVENT_TYPE_NAMES[type] ?? String(type), ...rest };
    if (Name !== undefined) entry[type === EventType.ExecutionStarted || MERGED.has(type) ? 'FunctionName' : 'Name'] = Name;
    if (COMPLETIONS.has(type)) {
      const origin = scheduled.get(Number(taskId));
      if (origin) {
        entry.FunctionName = origin.Name;
        entry.ScheduledTime = origin.Timestamp;
      }
    }
    if (showInput && Input !== undefined) entry.Input = parseJsonText(Input as string);
    if (showOutput && Result !== undefined) entry.Result = parseJsonText(Result as string);
    shown.push(entry);
  }
  return shown;
}
