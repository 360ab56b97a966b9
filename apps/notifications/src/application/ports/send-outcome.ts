/**
 * A receiver that fails or does not answer is an expected outcome of a
 * delivery attempt, not a fault. `refused`: nothing was sent, because the
 * target turned out to be one we may never call (an address of the system
 * itself); trying again would not change that, so it is not retried.
 */
export type SendOutcome = { sent: true } | { sent: false; reason: string; refused?: true };
