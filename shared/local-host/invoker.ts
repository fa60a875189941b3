import { randomUUID } from 'node:crypto';
import { format } from 'node:util';
import type { CoreInvocationContext, FunctionCallback, RpcInvocationRequest, RpcLogLevel, RpcParameterBinding, RpcTypedData } from './core-types';
import type { FunctionRegistry, RegisteredFunction } from './function-registry';
import type { HostMetrics } from './host-metrics';
import type { HostLogger } from './logger';
import { TimeoutWatchdog } from './timeout-watchdog';

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

const NO_OUTPUTS = new Map<string, RpcTypedData>();

type InvocationState = 'preInvocationHooks' | 'invocation' | 'postInvocationHooks' | 'done';

/** The app's own copy of the library's classes, so objects are the ones its code expects. */
export interface FunctionsLibrary {
  HttpRequest: new (init: Record<string, unknown>) => unknown;
  InvocationContext: new (init: Record<string, unknown>) => InvocationArgumentsContext;
  HttpResponse?: unknown;
}

type InvocationArgumentsContext = { invocationId: string; extraOutputs: { get(name: string): unknown }; error(...args: unknown[]): void; options?: unknown };

/** What an HTTP trigger hands the fast path. */
export interface HttpTriggerInput {
  nativeRequest: unknown;
  params: Record<string, string>;
  traceParent: string;
  /** The URL has a query string (else `request.query` is empty). */
  hasQuery: boolean;
}

/**
 * Runs one invocation the way the Node.js worker does: the genuine programming model turns RPC
 * data into arguments and builds the `InvocationContext`, hooks run around the handler, and the
 * model converts outputs back for the host.
 */
export class Invoker {
  readonly inputProviders = new Map<string, InputBindingProvider>();
  readonly outputHandlers = new Map<string, OutputBindingHandler>();
  private readonly watchdog: TimeoutWatchdog;
  /** Per function: the effective binding options the genuine model derives, computed once. */
  private readonly effectiveOptions = new Map<RegisteredFunction, unknown>();

  constructor(
    private readonly registry: FunctionRegistry,
    private readonly logger: HostLogger,
    private readonly metrics: HostMetrics,
    timeoutMs: number,
    private readonly library?: FunctionsLibrary,
  ) {
    this.watchdog = new TimeoutWatchdog(timeoutMs);
  }

  /** Derives each plain HTTP function's effective options once, before the first request. */
  async prepare(): Promise<void> {
    for (const fn of this.registry.functions.values()) {
      if (this.isDirectHttp(fn)) this.effectiveOptions.set(fn, await this.deriveOptions(fn));
    }
  }

  /**
   * The HTTP fast path. The worker's generic `InvocationModel` glue (async generators, RPC
   * conversions, a context built per call by several converters) costs ~5x the handler's own
   * overhead, so a plain HTTP function (trigger + `$return` only) gets the same genuine
   * `HttpRequest` and `InvocationContext` built directly, with the same hooks, timeout and log
   * semantics, in one async step. Functions with other bindings take the genuine model path.
   */
  async invokeHttp(fn: RegisteredFunction, input: HttpTriggerInput): Promise<unknown> {
    const options = this.effectiveOptions.get(fn);
    if (options === undefined) {
      const outcome = await this.invoke(fn, { trigger: { http: { nativeRequest: input.nativeRequest, params: input.params } }, traceParent: input.traceParent }, { convertReturn: false });
      return outcome.result;
    }
    const library = this.library!;
    const invocationId = randomUUID();
    const started = performance.now();
    let state: InvocationState = 'invocation';
    const context = new library.InvocationContext({
      invocationId,
      functionName: fn.name,
      traceContext: { traceParent: input.traceParent, traceState: '', attributes: {} },
      options,
      logHandler: (level: RpcLogLevel, ...args: unknown[]) => this.userLog(fn, invocationId, state, level, args),
    });
    // Without a query string, an empty query spares the constructor a WHATWG URL parse; same result.
    const request = new library.HttpRequest(input.hasQuery ? { nativeRequest: input.nativeRequest, params: input.params } : { nativeRequest: input.nativeRequest, params: input.params, query: {} });
    try {
      const result = this.registry.hasInvocationHooks()
        ? await this.runWithHooks(
            fn,
            invocationId,
            context,
            [request],
            (next) => (state = next),
            (callback, args) => Promise.resolve(callback(...args, context)),
          )
        : await this.watchdog.guard(Promise.resolve(fn.callback(request, context)), fn.name, invocationId);
      state = 'done';
      this.succeeded(fn, invocationId, started);
      return result;
    } catch (error) {
      state = 'done';
      throw this.failed(fn, invocationId, started, error);
    }
  }

  /**
   * Invokes and logs the outcome as the host does ("Executed 'Functions.X' (Failed, Id=...)"),
   * with the error's stack in the log only; rethrows so the trigger can react (500, redelivery).
   * `convertReturn: false` leaves `$return` to the caller (the HTTP fast path writes it directly).
   */
  async invoke(fn: RegisteredFunction, input: InvocationInput, options: { convertReturn?: boolean } = {}): Promise<InvocationOutcome> {
    const invocationId = input.invocationId ?? randomUUID();
    const started = performance.now();
    try {
      const outcome = await this.run(fn, input, invocationId, options.convertReturn !== false);
      this.succeeded(fn, invocationId, started);
      return outcome;
    } catch (error) {
      throw this.failed(fn, invocationId, started, error);
    }
  }

  private succeeded(fn: RegisteredFunction, invocationId: string, started: number): void {
    const duration = performance.now() - started;
    this.metrics.recordInvocation(fn, 'succeeded', duration);
    if (this.logger.enabled('debug')) {
      this.logger.log('debug', 'system', `Executed 'Functions.${fn.name}' (Succeeded, Id=${invocationId}, Duration=${Math.round(duration)}ms)`, fn.name, invocationId);
    }
  }

  private failed(fn: RegisteredFunction, invocationId: string, started: number, error: unknown): unknown {
    const duration = performance.now() - started;
    this.metrics.recordInvocation(fn, 'failed', duration);
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.logger.log('error', 'system', `Executed 'Functions.${fn.name}' (Failed, Id=${invocationId}, Duration=${Math.round(duration)}ms)\n${detail}`, fn.name, invocationId);
    return error;
  }

  /** `context.log` and friends, with the worker's warning for logs after the invocation ended. */
  private userLog(fn: RegisteredFunction, invocationId: string, state: InvocationState, level: RpcLogLevel, args: unknown[]): void {
    if (state === 'done') {
      this.logger.log(
        'warning',
        'system',
        `Warning: Unexpected call to 'log' on the context object after function execution has completed. Please check for asynchronous calls that are not awaited. Function name: ${fn.name}. Invocation Id: ${invocationId}.`,
        fn.name,
        invocationId,
      );
    }
    this.logger.log(level, 'user', format(...args), fn.name, invocationId);
  }

  private isDirectHttp(fn: RegisteredFunction): boolean {
    return this.library !== undefined && fn.trigger.type === 'httpTrigger' && fn.extraInputNames.length === 0 && !fn.hasExtraOutputs;
  }

  /** Stops the timeout watchdog (host shutdown). */
  close(): void {
    this.watchdog.close();
  }

  private async run(fn: RegisteredFunction, input: InvocationInput, invocationId: string, convertReturn: boolean): Promise<InvocationOutcome> {
    const model = this.registry.programmingModel;
    if (!model) throw new Error('No programming model was registered by the app.');
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
    const result = await this.runWithHooks(
      fn,
      invocationId,
      context,
      inputs,
      (state) => (coreCtx.state = state),
      (callback, args) => invocationModel.invokeFunction(context, args, callback),
    );

    // Nothing to convert: an HTTP function whose only output is the response the host writes.
    if (!convertReturn && !fn.hasExtraOutputs) return { invocationId, result, outputs: NO_OUTPUTS, returnValue: undefined };

    const response = await invocationModel.getResponse(context, convertReturn ? result : undefined);
    const outputs = new Map<string, RpcTypedData>();
    for (const binding of response.outputData ?? []) {
      if (binding.data) outputs.set(binding.name, binding.data);
    }
    // Outputs are sent only when the invocation succeeded, and a failed send fails it, as in Azure.
    for (const [name, data] of outputs) {
      const type = (fn.metadata.bindings[name]?.type ?? '').toLowerCase();
      await this.outputHandlers.get(type)?.(fn, name, data);
    }
    if (response.returnValue && returnFeedsOutput(fn)) {
      await this.outputHandlers.get((fn.metadata.bindings.$return!.type ?? '').toLowerCase())?.(fn, '$return', response.returnValue);
    }
    return { invocationId, result, outputs, returnValue: response.returnValue };
  }

  /** The worker's invocation sequence: preInvocation hooks, the handler (under the timeout), postInvocation hooks. */
  private async runWithHooks(
    fn: RegisteredFunction,
    invocationId: string,
    context: unknown,
    inputs: unknown[],
    setState: (state: Exclude<InvocationState, 'done'>) => void,
    call: (callback: FunctionCallback, inputs: unknown[]) => Promise<unknown>,
  ): Promise<unknown> {
    const hookData: Record<string, unknown> = {};
    const pre = { hookData, invocationContext: context, functionCallback: fn.callback, inputs };
    setState('preInvocationHooks');
    await this.registry.runHooks('preInvocation', pre);

    setState('invocation');
    const post: Record<string, unknown> = { hookData, invocationContext: context, inputs: pre.inputs, result: undefined, error: undefined };
    try {
      post.result = await this.watchdog.guard(call(pre.functionCallback, pre.inputs), fn.name, invocationId);
    } catch (error) {
      post.error = error;
    }
    setState('postInvocationHooks');
    await this.registry.runHooks('postInvocation', post);
    if (post.error !== undefined && post.error !== null) throw post.error;
    return post.result;
  }

  /** The effective options (`context.options`) exactly as the genuine model derives them. */
  private async deriveOptions(fn: RegisteredFunction): Promise<unknown> {
    const model = this.registry.programmingModel!;
    const probe = model.getInvocationModel({ invocationId: 'options', metadata: fn.metadata, request: { inputData: [] }, log: () => undefined });
    return (await probe.getArguments()).context.options;
  }

  /** Binding types the app uses that this host cannot serve, for a clear start-up message. */
  unsupportedBindings(fn: RegisteredFunction): string[] {
    return Object.entries(fn.metadata.bindings)
      .filter(([name]) => name !== fn.triggerName && (name !== '$return' || returnFeedsOutput(fn)))
      .filter(([, binding]) => {
        const type = (binding.type ?? '').toLowerCase();
        return binding.direction === 'in' ? !this.inputProviders.has(type) : !this.outputHandlers.has(type);
      })
      .map(([, binding]) => `${binding.direction} ${binding.type}`);
  }

  private inputData(fn: RegisteredFunction, trigger: RpcTypedData): RpcParameterBinding[] {
    const data: RpcParameterBinding[] = [{ name: fn.triggerName, data: trigger }];
    for (const name of fn.extraInputNames) {
      const binding = fn.metadata.bindings[name]!;
      const provider = this.inputProviders.get((binding.type ?? '').toLowerCase());
      if (!provider) throw new Error(`Function "${fn.name}" uses input binding type "${binding.type}", which this host does not provide.`);
      data.push({ name, data: provider(fn, name) });
    }
    return data;
  }
}

/** A function's return value is the HTTP response the host writes, or the value of an output binding (`return: output.serviceBusTopic(...)`). */
function returnFeedsOutput(fn: RegisteredFunction): boolean {
  const binding = fn.metadata.bindings.$return;
  return binding?.direction === 'out' && (binding.type ?? '').toLowerCase() !== 'http';
}
