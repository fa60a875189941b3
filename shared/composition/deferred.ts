/**
 * A port whose adapter is still loading (its SDK is imported on first use, not with the app):
 * each method call waits for it. For ports whose methods all return promises. A failed load is
 * reported by the first call that needs it, and tried again by the next.
 */
export function deferred<T extends object>(load: () => Promise<T>): T {
  let loading: Promise<T> | undefined;
  const target = () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  return new Proxy({} as T, {
    // Not a thenable: awaiting the port must give the port, not call into the adapter.
    get: (_, name) => (name === 'then' || typeof name === 'symbol' ? undefined : async (...args: unknown[]) => ((await target()) as Record<string, (...a: unknown[]) => unknown>)[name]!(...args)),
  });
}
