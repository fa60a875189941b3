import { randomUUID } from 'node:crypto';
import type { CoreInvocationContext, RpcInvocationRequest, RpcParameterBinding, RpcTypedData } from './core-types';
import type { FunctionRegistry, RegisteredFunction } from './function-registry';
import type { HostMetrics } from './host-metrics';
import type { HostLogger } from './logger';

export interface InvocationInput {
  /** Data for the trigger binding. */
  trigger: RpcTypedData;
  triggerMetadata?: Record<string, RpcTypedData>;
  traceParent?: string;
  retryContext?: RpcInvocationRequest['retryContext'];
  invocationId?: string;
}

export interface InvocationOutcome {
  invocationId: string;
  /** The handler's return value (after post-invocation hooks), unconverted. */
  result: unknown;
  /** Output bindings other than `$return`, as the genuine library converted them for the host. */
  outputs: Map<string, RpcTypedData>;
  /** `$return` converted for the host, for non-HTTP triggers. */
  returnValue: RpcTypedData | null | undefined;
}

/** Supplies data for non-trigger input bindings (e.g. the Durable client) by binding type. */
export type InputBindingProvider = (fn: RegisteredFunction, bindingName: string) => RpcTypedData | undefined;

/** Delivers an output binding's value (e.g. a Service Bus message) after a successful invocation. */
export type OutputBindingHandler = (fn: RegisteredFunction, bindingName: string, data: RpcTypedData) => Promise<void> | void;

export class FunctionTimeoutError extends Error {}

/**
 * Runs one invocation the way the Node.js worker does: the genuine programming model turns RPC
 * data into arguments and builds the `InvocationContext`, hooks run around the handler, and the
 * model converts outputs back for the host.
 */
export class Invoker {
  readonly inputProviders = new Map<string, InputBindingProvider>();
  readonly outputHandlers = new Map<string, OutputBindingHandler>();

  constructor(
    private readonly registry: FunctionRegistry,
    private readonly logger: HostLogger,
    private readonly metrics: HostMetrics,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Invokes and logs the outcome as the host does ("Executed 'Functions.X' (Failed, Id=...)"),
   * with the error's stack in the log only; rethrows so the trigger can react (500, redelivery).
   */
  async invoke(fn: RegisteredFunction, input: InvocationInput, options: { convertReturn?: boolean } = {}): Promise<InvocationOutcome> {
    const invocationId = input.invocationId ?? randomUUID();
    const started = performance.now();
    const trigger = fn.trigger.type ?? 'unknown';
    try {
      const outcome = await this.run(fn, { ...input, invocationId }, options);
      const duration = performance.now() - started;
      this.metrics.recordInvocation(fn.name, trigger, 'succeeded', duration);
      this.logger.log('debug', 'system', `Executed 'Functions.${fn.name}' (Succeeded, Id=${invocationId}, Duration=${Math.round(duration)}ms)`, fn.name, invocationId);
      return outcome;
    } catch (error) {
      const duration = performance.now() - started;
      this.metrics.recordInvocation(fn.name, trigger, 'failed', duration);
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      this.logger.log('error', 'system', `Executed 'Functions.${fn.name}' (Failed, Id=${invocationId}, Duration=${Math.round(duration)}ms)\n${detail}`, fn.name, invocationId);
      throw error;
    }
  }

  private async run(fn: RegisteredFunction, input: InvocationInput & { invocationId: string }, options: { convertReturn?: boolean }): Promise<InvocationOutcome> {
    const model = this.registry.programmingModel;
    if (!model) throw new Error('No programming model was registered by the app.');
    const invocationId = input.invocationId;
    const coreCtx: CoreInvocationContext = {
      invocationId,
      metadata: fn.metadata,
      request: {
        invocationId,
        inputData: this.inputData(fn, input.trigger),
        triggerMetadata: input.triggerMetadata,
        traceContext: input.traceParent ? { traceParent: input.traceParent, traceState: '', attributes: {} } : undefined,
        retryContext: input.retryContext,
      },
      log: (level, category, message) => this.logger.log(level, category, message, fn.name, invocationId),
    };
    const invocationModel = model.getInvocationModel(coreCtx);
    const { context, inputs } = await invocationModel.getArguments();

    const hookData: Record<string, unknown> = {};
    const pre = { hookData, invocationContext: context, functionCallback: fn.callback, inputs };
    coreCtx.state = 'preInvocationHooks';
    await this.registry.runHooks('preInvocation', pre);

    coreCtx.state = 'invocation';
    const post: Record<string, unknown> = { hookData, invocationContext: context, inputs: pre.inputs, result: undefined, error: undefined };
    try {
      post.result = await this.withTimeout(fn, invocationId, invocationModel.invokeFunction(context, pre.inputs, pre.functionCallback));
    } catch (error) {
      post.error = error;
    }
    coreCtx.state = 'postInvocationHooks';
    await this.registry.runHooks('postInvocation', post);
    if (post.error !== undefined && post.error !== null) throw post.error;

    // HTTP results are written by the host's fast path; others are converted as in Azure.
    const response = await invocationModel.getResponse(context, options.convertReturn === false ? undefined : post.result);
    const outputs = new Map<string, RpcTypedData>();
    for (const binding of response.outputData ?? []) {
      if (binding.data) outputs.set(binding.name, binding.data);
    }
    // Outputs are sent only when the invocation succeeded, and a failed send fails it, as in Azure.
    for (const [name, data] of outputs) {
      const type = (fn.metadata.bindings[name]?.type ?? '').toLowerCase();
      await this.outputHandlers.get(type)?.(fn, name, data);
    }
    return { invocationId, result: post.result, outputs, returnValue: response.returnValue };
  }

  /** Binding types the app uses that this host cannot serve, for a clear start-up message. */
  unsupportedBindings(fn: RegisteredFunction): string[] {
    return Object.entries(fn.metadata.bindings)
      .filter(([name]) => name !== fn.triggerName && name !== '$return')
      .filter(([, binding]) => {
        const type = (binding.type ?? '').toLowerCase();
        return binding.direction === 'in' ? !this.inputProviders.has(type) : !this.outputHandlers.has(type);
      })
      .map(([, binding]) => `${binding.direction} ${binding.type}`);
  }

  private inputData(fn: RegisteredFunction, trigger: RpcTypedData): RpcParameterBinding[] {
    const data: RpcParameterBinding[] = [{ name: fn.triggerName, data: trigger }];
    for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
      if (name === fn.triggerName || binding.direction !== 'in') continue;
      const provider = this.inputProviders.get((binding.type ?? '').toLowerCase());
      if (!provider) throw new Error(`Function "${fn.name}" uses input binding type "${binding.type}", which this host does not provide.`);
      data.push({ name, data: provider(fn, name) });
    }
    return data;
  }

  private withTimeout<T>(fn: RegisteredFunction, invocationId: string, work: Promise<T>): Promise<T> {
    if (!Number.isFinite(this.timeoutMs) || this.timeoutMs <= 0) return work;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new FunctionTimeoutError(`Timeout value of ${formatTimeSpan(this.timeoutMs)} exceeded by function '${fn.name}' (Id: '${invocationId}').`)),
        this.timeoutMs,
      );
      timer.unref();
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }
}

export function formatTimeSpan(ms: number): string {
  const total = Math.round(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}
