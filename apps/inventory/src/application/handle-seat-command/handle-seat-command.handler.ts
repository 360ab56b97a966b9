import { Injectable } from '@nestjs/common';
import type { Envelope, SeatCommand } from '@boxoffice/contracts';
import { PriceList } from '../../domain/seat/price-list.js';
import { decideConfirm, decideHold, seatsToRelease } from '../../domain/seat/seat-policies.js';
import { SeatInventory, type ShowSeatsTransaction } from '../ports/seat-inventory.port.js';

/**
 * The seat side of the checkout saga: hold, confirm (sell) or release an
 * order's seats, and answer. Every command is answered, also when repeated,
 * so a saga that resends after a timeout always hears back.
 */
@Injectable()
export class HandleSeatCommandHandler {
  constructor(private readonly inventory: SeatInventory) {}

  execute(message: Envelope<SeatCommand>): Promise<'processed' | 'duplicate'> {
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

async function hold(seats: ShowSeatsTransaction, command: Extract<SeatCommand, { command: 'hold' }>): Promise<void> {
  const { orderId, showId } = command;
  const tiers = await seats.priceTiers();
  if (!tiers) return seats.reply({ outcome: 'hold-rejected', orderId, showId, reason: 'show-not-on-sale', seatIds: command.seatIds });
  const requested = [...new Set(command.seatIds)];
  const locked = await seats.lockSeats(requested);
  const decision = decideHold(orderId, requested, locked);
  if (decision.kind === 'reject') return seats.reply({ outcome: 'hold-rejected', orderId, showId, reason: decision.reason, seatIds: decision.seatIds });
  if (decision.kind === 'hold') await seats.markHeld(decision.seatIds, orderId, command.holdSeconds);
  const prices = new PriceList(tiers);
  const tierOf = new Map(locked.map((s) => [s.seatId, s.priceTier]));
  await seats.reply({
    outcome: 'held',
    orderId,
    showId,
    seats: requested.map((seatId) => ({ seatId, price: prices.priceOf(tierOf.get(seatId) as string) })),
    total: prices.total(requested.map((seatId) => tierOf.get(seatId) as string)),
  });
}

async function confirm(seats: ShowSeatsTransaction, command: Extract<SeatCommand, { command: 'confirm' }>): Promise<void> {
  const { orderId, showId } = command;
  // The show first (a shared lock), then the seats: the order a cancellation takes them in.
  const showCancelled = await seats.isCancelled();
  const decision = decideConfirm(await seats.lockSeatsOfOrder(orderId), showCancelled);
  if (decision.kind === 'reject') return seats.reply({ outcome: 'confirm-rejected', orderId, showId, reason: decision.reason });
  await seats.markSold(decision.toSell);
  await seats.reply({ outcome: 'confirmed', orderId, showId, seatIds: decision.seatIds });
}

async function release(seats: ShowSeatsTransaction, command: Extract<SeatCommand, { command: 'release' }>): Promise<void> {
  const { orderId, showId } = command;
  const freed = seatsToRelease(await seats.lockSeatsOfOrder(orderId));
  await seats.markFree(freed);
  await seats.reply({ outcome: 'released', orderId, showId, seatIds: freed, expired: false });
}
