/**
 * Entity names and paths. Service Bus names are case-insensitive, so every entity is keyed by its lower-cased
 * path; the name as first created is kept for display.
 */

/** Queue and topic names: letters, digits, `.`, `-`, `_`, `~`, and `/` between segments (Service Bus rules). */
const QUEUE_OR_TOPIC_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._~-]|\/(?=[A-Za-z0-9._~-]))*$/;
/** Subscription names cannot contain `/` and are at most 50 characters. */
const SUBSCRIPTION_NAME = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,49}$/;
/** `topic/subscriptions/sub`; Service Bus itself writes `Subscriptions`, so the segment is case-insensitive. */
const SUBSCRIPTION_PATH = /^(.+)\/subscriptions\/([^/]+)$/i;

export type ParsedEntityPath = { kind: 'queueOrTopic'; name: string } | { kind: 'subscription'; topicName: string; subscriptionName: string };

/** The lookup key of an entity path. */
export function entityKey(path: string): string {
  return path.toLowerCase();
}

export function subscriptionPath(topicName: string, subscriptionName: string): string {
  return `${topicName}/Subscriptions/${subscriptionName}`;
}

export function parseEntityPath(path: string): ParsedEntityPath {
  const match = SUBSCRIPTION_PATH.exec(path);
  if (match) return { kind: 'subscription', topicName: match[1]!, subscriptionName: match[2]! };
  return { kind: 'queueOrTopic', name: path };
}

export function assertQueueOrTopicName(name: string): void {
  if (typeof name !== 'string' || name.length > 260 || !QUEUE_OR_TOPIC_NAME.test(name) || SUBSCRIPTION_PATH.test(name)) {
    throw new TypeError(`'${String(name)}' is not a valid queue or topic name.`);
  }
}

export function assertSubscriptionName(name: string): void {
  if (typeof name !== 'string' || !SUBSCRIPTION_NAME.test(name)) {
    throw new TypeError(`'${String(name)}' is not a valid subscription name.`);
  }
}
