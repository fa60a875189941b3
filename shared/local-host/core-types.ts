/**
 * The subset of the `@azure/functions-core` contract (the module the real Node.js worker
 * injects) that the genuine `@azure/functions` package uses. The package does not ship these
 * types, so they are declared here from its sources.
 */
export type RpcLogLevel = 'trace' | 'debug' | 'information' | 'warning' | 'error' | 'critical' | 'none';
export type RpcLogCategory = 'user' | 'system' | 'customMetric';

export interface RpcBindingInfo {
  type?: string;
  direction?: 'in' | 'out' | 'inout';
  dataType?: string;
  properties?: Record<string, string>;
  [option: string]: unknown;
}

export interface RpcFunctionMetadata {
  name: string;
  bindings: Record<string, RpcBindingInfo>;
  retryOptions?: unknown;
  [other: string]: unknown;
}

export interface RpcTypedData {
  string?: string | null;
  json?: string | null;
  bytes?: Uint8Array | null;
  stream?: Uint8Array | null;
  http?: Record<string, unknown> | null;
  int?: number | null;
  double?: number | null;
  collectionString?: { string?: string[] } | null;
  [other: string]: unknown;
}

export interface RpcParameterBinding {
  name: string;
  data: RpcTypedData | null | undefined;
}

export interface RpcInvocationRequest {
  invocationId?: string;
  functionId?: string;
  inputData?: RpcParameterBinding[];
  triggerMetadata?: Record<string, RpcTypedData>;
  traceContext?: { traceParent?: string; traceState?: string; attributes?: Record<string, string> };
  retryContext?: { retryCount: number; maxRetryCount: number } | null;
}

export interface RpcInvocationResponse {
  invocationId?: string;
  outputData?: RpcParameterBinding[];
  returnValue?: RpcTypedData | null;
}

export type FunctionCallback = (...args: unknown[]) => unknown;

export interface CoreInvocationContext {
  invocationId: string;
  request: RpcInvocationRequest;
  metadata: RpcFunctionMetadata;
  state?: 'preInvocationHooks' | 'postInvocationHooks' | 'invocation';
  log(level: RpcLogLevel, category: RpcLogCategory, message: string): void;
}

export interface InvocationArguments {
  context: { invocationId: string; extraOutputs: { get(name: string): unknown }; error(...args: unknown[]): void; options?: unknown };
  inputs: unknown[];
}

export interface InvocationModel {
  getArguments(): Promise<InvocationArguments>;
  invokeFunction(context: InvocationArguments['context'], inputs: unknown[], handler: FunctionCallback): Promise<unknown>;
  getResponse(context: InvocationArguments['context'], result: unknown): Promise<RpcInvocationResponse>;
}

export interface ProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(coreCtx: CoreInvocationContext): InvocationModel;
  getCapabilities(capabilities: Record<string, string>): Promise<Record<string, string>>;
}

export type HookName = 'appStart' | 'appTerminate' | 'preInvocation' | 'postInvocation' | 'log';
export type HookCallback = (context: Record<string, unknown>) => unknown;

export interface Disposable {
  dispose(): void;
}
