import type { z } from 'zod';

/** A versioned event type: its topic, and the schema its payload must match on produce and consume. */
export interface EventContract<TSchema extends z.ZodType = z.ZodType> {
  readonly type: string;
  readonly version: number;
  readonly topic: string;
  readonly payload: TSchema;
}

export function defineEvent<TSchema extends z.ZodType>(type: string, version: number, payload: TSchema): EventContract<TSchema> {
  return { type, version, topic: `${type}.v${version}`, payload };
}

export type PayloadOf<C extends EventContract> = z.infer<C['payload']>;
