/**
 * A consumed message as the application layer sees it: what it says, and
 * what it takes to handle it once (its id and type, for the inbox) and to
 * name it as the cause of what it leads to. The envelope it travelled in,
 * and the topic, partition and offset it came from, stay in the interface
 * layer; an `Envelope` is one, so a consumer hands it over as it is.
 */
export interface ConsumedMessage<TPayload = unknown> {
  readonly messageId: string;
  readonly type: string;
  readonly correlationId: string;
  readonly payload: TPayload;
}
