/** A receiver that fails or does not answer is an expected outcome of a delivery attempt, not a fault. */
export type SendOutcome = { sent: true } | { sent: false; reason: string };
