import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, type KafkaContext } from '@nestjs/microservices';
import { SeatCommandV1 } from '@boxoffice/contracts';
import { ReliableConsumer } from '@boxoffice/messaging';
import { kafkaDelivery } from '@boxoffice/platform';
import { HandleSeatCommandHandler } from '../../application/handle-seat-command/handle-seat-command.handler.js';

/** The callback style: the saga's seat commands, each answered on inventory.seat-reply.v1. */
@Controller()
export class SeatCommandConsumer {
  constructor(
    private readonly consumer: ReliableConsumer,
    private readonly handleSeatCommand: HandleSeatCommandHandler,
  ) {}

  @EventPattern<string>(SeatCommandV1.topic)
  async handle(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(SeatCommandV1, kafkaDelivery(context), (envelope) => this.handleSeatCommand.execute(envelope));
  }
}
