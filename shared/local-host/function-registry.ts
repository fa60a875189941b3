import { format } from 'node:util';
import type { Disposable, FunctionCallback, HookCallback, HookName, ProgrammingModel, RpcBindingInfo, RpcFunctionMetadata, RpcLogCategory, RpcLogLevel } from './core-types';
import type { HostLogger, LogRecord } from './logger';

export interface RegisteredFunction {
  name: string;
  metadata: RpcFunctionMetadata;
  callback: FunctionCallback;
  /** The binding whose type ends in "Trigger" (binding names are generated, so never match by name). */
  triggerName: string;
  trigger: RpcBindingInfo;
  /** Input bindings besides the trigger (e.g. a Durable client), which the host must supply. */
  extraInputNames: string[];
  /** Output bindings besides `$return` (e.g. Service Bus), which the host must deliver. */
  hasExtraOutputs: boolean;
  /** `AzureWebJobs.<name>.Disabled` is true: its trigger never fires, though the admin API can still run it. */
  disabled: boolean;
}

const HOOK_NAMES: readonly HookName[] = ['appStart', 'appTerminate', 'preInvocation', 'postInvocation', 'log'];

/**
 * Plays the part of the Node.js worker's core API: what `@azure/functions` calls through
 * `require('@azure/functions-core')`. Captures each registration and hook.
 */
export class FunctionRegistry {
  readonly functions = new Map<string, RegisteredFunction>();
  readonly hooks = new Map<HookName, HookCallback[]>(HOOK_NAMES.map((name) => [name, []]));
  programmingModel: ProgrammingModel | undefined;
  private locked = false;

  constructor(private readonly logger: HostLogger) {}

  /** The object exported as the `@azure/functions-core` module. */
  coreModule(): Record<string, unknown> {
    return {
      registerFunction: (metadata: RpcFunctionMetadata, callback: FunctionCallback) => this.register(metadata, callback),
      setProgrammingModel: (model: ProgrammingModel) => {
        this.programmingModel = model;
      },
      getProgrammingModel: () => this.programmingModel,
      registerHook: (name: HookName, callback: HookCallback) => this.registerHook(name, callback),
      log: (level: RpcLogLevel, category: RpcLogCategory, message: string) => this.logger.log(level, category, message),
    };
  }

  /** Registrations after start-up are refused, as the worker refuses them after indexing. */
  lock(): void {
    this.locked = true;
  }

  private register(metadata: RpcFunctionMetadata, callback: FunctionCallback): Disposable {
    if (this.locked) throw new RangeError(`A function can only be registered during app startup (${metadata.name}).`);
    const key = metadata.name.toLowerCase();
    if (this.functions.has(key)) throw new Error(`A function with the name "${metadata.name}" has already been registered.`);
    const triggerEntry = Object.entries(metadata.bindings).find(([, binding]) => /trigger$/i.test(binding.type ?? ''));
    if (!triggerEntry) throw new Error(`Function "${metadata.name}" has no trigger binding.`);
    const [triggerName, trigger] = triggerEntry;
    const others = Object.entries(metadata.bindings).filter(([name]) => name !== triggerName && name !== '$return');
    const disabled = isDisabled(metadata.name);
    if (disabled)
      this.logger.info(`Function '${metadata.name}' is disabled (AzureWebJobs.${metadata.name}.Disabled): its trigger does not fire; POST /admin/functions/${metadata.name} still runs it.`);
    this.functions.set(key, {
      name: metadata.name,
      metadata,
      callback,
      triggerName,
      trigger,
      extraInputNames: others.filter(([, binding]) => binding.direction === 'in').map(([name]) => name),
      hasExtraOutputs: others.some(([, binding]) => binding.direction === 'out'),
      disabled,
    });
    return { dispose: () => this.functions.delete(key) };
  }

  private registerHook(name: HookName, callback: HookCallback): Disposable {
    const list = this.hooks.get(name);
    if (!list) throw new RangeError(`Unrecognized hook "${name}"`);
    list.push(callback);
    if (name === 'log') this.logger.interceptor = (record) => this.runLogHooks(record);
    return {
      dispose: () => {
        const index = list.indexOf(callback);
        if (index >= 0) list.splice(index, 1);
      },
    };
  }

  find(name: string): RegisteredFunction | undefined {
    return this.functions.get(name.toLowerCase());
  }

  byTriggerType(type: string): RegisteredFunction[] {
    const wanted = type.toLowerCase();
    return [...this.functions.values()].filter((fn) => fn.trigger.type?.toLowerCase() === wanted);
  }

  /** Log hooks are synchronous; for user logs their changes to level and message are kept. */
  private runLogHooks(record: LogRecord): void {
    const context: Record<string, unknown> = { hookData: {}, level: record.level, category: record.category, message: record.message };
    for (const hook of [...this.hooks.get('log')!]) hook(context);
    record.level = context.level as LogRecord['level'];
    record.message = String(context.message);
  }

  hasInvocationHooks(): boolean {
    return this.hooks.get('preInvocation')!.length > 0 || this.hooks.get('postInvocation')!.length > 0;
  }

  /** Runs hooks in registration order; hooks may be async and must not run concurrently. */
  async runHooks(name: HookName, context: Record<string, unknown>): Promise<void> {
    const hooks = this.hooks.get(name)!;
    if (hooks.length === 0) return;
    for (const hook of [...hooks]) {
      await hook(context);
    }
  }

  describe(): string[] {
    return [...this.functions.values()].map((fn) => `${fn.name}: [${fn.trigger.type}] ${format('%o', stripInternals(fn.trigger))}`);
  }
}

/**
 * The runtime's per-function switch, an app setting: `AzureWebJobs.<name>.Disabled` set to `true`
 * (any case) or `1`. App setting names are case-insensitive, so the name is matched that way.
 */
export function isDisabled(functionName: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const wanted = `azurewebjobs.${functionName}.disabled`.toLowerCase();
  const key = Object.keys(env).find((name) => name.toLowerCase() === wanted);
  const value = key === undefined ? undefined : env[key]?.trim().toLowerCase();
  return value === 'true' || value === '1';
}

function stripInternals(binding: RpcBindingInfo): Record<string, unknown> {
  const { type: _type, direction: _direction, properties: _properties, name: _name, ...rest } = binding;
  return rest;
}
