/** Errors of the local Service Bus broker, named after the Service Bus SDK's error codes. */

export class ServiceBusBrokerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The queue, topic or subscription does not exist (or is not the kind the operation needs). */
export class EntityNotFoundError extends ServiceBusBrokerError {
  constructor(
    readonly entityPath: string,
    detail?: string,
  ) {
    super(`The messaging entity '${entityPath}' could not be found${detail ? `: ${detail}` : '.'}`);
  }
}

/** A name is already used by an entity of another kind (queues and topics share one namespace). */
export class EntityConflictError extends ServiceBusBrokerError {
  constructor(
    readonly entityPath: string,
    existingKind: string,
    requestedKind: string,
  ) {
    super(`The messaging entity '${entityPath}' is a ${existingKind}, not a ${requestedKind}.`);
  }
}

/** The lock token is unknown, already settled, or its lock expired. */
export class MessageLockLostError extends ServiceBusBrokerError {
  constructor(
    readonly entityPath: string,
    readonly lockToken: string,
  ) {
    super(`The lock supplied is invalid. Either the lock expired, or the message has already been removed from '${entityPath}'.`);
  }
}
