import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@boxoffice/platform';
import { GetAvailabilityQuery } from './application/get-availability/get-availability.query.js';
import { GetSeatMapQuery } from './application/get-seat-map/get-seat-map.query.js';
import { HandleSeatCommandHandler } from './application/handle-seat-command/handle-seat-command.handler.js';
import { ReleaseExpiredHoldsHandler } from './application/release-expired-holds/release-expired-holds.handler.js';
import { StopSalesHandler } from './application/stop-sales/stop-sales.handler.js';
import { OpenShowForSaleHandler } from './application/open-show-for-sale/open-show-for-sale.handler.js';
import { PutRefundedSeatsBackOnSaleHandler } from './application/put-refunded-seats-back-on-sale/put-refunded-seats-back-on-sale.handler.js';
import { SeatInventory } from './application/ports/seat-inventory.port.js';
import { PostgresSeatInventory } from './infrastructure/persistence/postgres-seat-inventory.js';
import { AvailabilityController } from './interface/http/availability.controller.js';
import { OrderRefundedConsumer } from './interface/messaging/order-refunded.consumer.js';
import { SeatCommandConsumer } from './interface/messaging/seat-command.consumer.js';
import { ShowCancelledConsumer } from './interface/messaging/show-cancelled.consumer.js';
import { ShowPublishedConsumer } from './interface/messaging/show-published.consumer.js';
import { HOLD_SWEEP_INTERVAL_MS, HoldExpiryScheduler } from './interface/scheduling/hold-expiry.scheduler.js';
import { inventoryPlatform, type InventorySettings } from './inventory.settings.js';

@Module({
  controllers: [AvailabilityController, ShowPublishedConsumer, ShowCancelledConsumer, SeatCommandConsumer, OrderRefundedConsumer],
  providers: [
    OpenShowForSaleHandler,
    HandleSeatCommandHandler,
    PutRefundedSeatsBackOnSaleHandler,
    ReleaseExpiredHoldsHandler,
    StopSalesHandler,
    GetAvailabilityQuery,
    GetSeatMapQuery,
    HoldExpiryScheduler,
    { provide: SeatInventory, useClass: PostgresSeatInventory },
  ],
})
export class InventoryModule {
  /** With the settings runService read and checked at boot (inventorySettingsFromEnv): nothing here reads the environment. */
  static withSettings(settings: InventorySettings): DynamicModule {
    return {
      module: InventoryModule,
      imports: [PlatformModule.forService(inventoryPlatform, settings.platform)],
      providers: [{ provide: HOLD_SWEEP_INTERVAL_MS, useValue: settings.holdSweepIntervalMs }],
    };
  }
}
