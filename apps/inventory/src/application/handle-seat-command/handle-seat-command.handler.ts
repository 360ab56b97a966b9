import { Injectable } from '@nestjs/common';
import type { SeatCommand } from '@boxoffice/contracts';
import type { ConsumedMessage } from '@boxoffice/messaging';
import { decide, type HoldSeats, type ReleaseSeats, type SellSeats } from '../../domain/seat/show-seats.decider.js';
import { SeatInventory, type ShowSeatsTransaction } from '../ports/seat-inventory.port.js';

/**
 * The seat side of the checkout saga: hold, confirm (sell) or release an
 * order's seats, and answer. Every command is answered, also when repeated,
 * so a saga that resends after a timeout always hears back.
 */
@Injectable()
export class HandleSeatCommandHandler {
  constructor(private readonly inventory: SeatInventory) {}

  execute(message: ConsumedMessage<SeatCommand>): Promise<'processed' | 'duplicate'> {
    const command = message.payload;
    return this.inventory.handleOnce(command.showId, message, async (seats) => {
      switch (command.command) {
        case 'hold':
          return hold(seats, command);
        case 'confirm':
          return confirm(seats, command);
        case 'release':
          return release(seats, command);
      }
    });
  }
}

async function hold(seats: ShowSeatsTransaction, { orderId, showId, seatIds, holdSeconds }: Extract<SeatCommand, { command: 'hold' }>): Promise<void> {
  const command: HoldSeats = { type: 'hold-seats', orderId, seatIds, holdSeconds };
  const { events, outcome } = decide(command, await seats.load(command));
  await seats.store(events);
  if (outcome.kind === 'refused') return seats.reply({ outcome: 'hold-rejected', orderId, showId, reason: outcome.reason, seatIds: outcome.seatIds });
  await seats.reply({ outcome: 'held', orderId, showId, seats: outcome.seats, total: outcome.total });
}

async function confirm(seats: ShowSeatsTransaction, { orderId, showId }: Extract<SeatCommand, { command: 'confirm' }>): Promise<void> {
  const command: SellSeats = { type: 'sell-seats', orderId };
  const { events, outcome } = decide(command, await seats.load(command));
  await seats.store(events);
  if (outcome.kind === 'refused') return seats.reply({ outcome: 'confirm-rejected', orderId, showId, reason: outcome.reason });
  await seats.reply({ outcome: 'confirmed', orderId, showId, seatIds: outcome.seatIds });
}

async function release(seats: ShowSeatsTransaction, { orderId, showId }: Extract<SeatCommand, { command: 'release' }>): Promise<void> {
  const command: ReleaseSeats = { type: 'release-seats', orderId };
  const { events, outcome } = decide(command, await seats.load(command));
  await seats.store(events);
  await seats.reply({ outcome: 'released', orderId, showId, seatIds: outcome.seatIds, expired: false, showCancelled: outcome.showCancelled });
}
