/**
 * Binding expressions such as `%RfqQueueName%` name an app setting, resolved at start-up as the
 * runtime does. An unknown setting is a start-up error naming it.
 */
export function resolveSettingReference(value: string, env: NodeJS.ProcessEnv = process.env): string {
  return value.replace(/%([^%]+)%/g, (_, name: string) => {
    const resolved = env[name];
    if (resolved === undefined) throw new Error(`The app setting '${name}' referenced by '${value}' does not exist.`);
    return resolved;
  });
}
