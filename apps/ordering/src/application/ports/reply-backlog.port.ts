/**
 * The replies of inventory and payments waiting on the broker, as far as
 * ordering (all its replicas together) has read them.
 */
export abstract class ReplyBacklog {
  /**
   * True once ordering has handled every reply that was on the broker when
   * it was asked (the first time since it last answered true). False while
   * some are still unread, or when the broker cannot tell.
   */
  abstract readUpToNow(): Promise<boolean>;
}
