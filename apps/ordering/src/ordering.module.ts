import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@boxoffice/platform';
import { CountOrderOutcomesQuery } from './application/count-order-outcomes/count-order-outcomes.query.js';
import { CountSagasInFlightQuery } from './application/count-sagas-in-flight/count-sagas-in-flight.query.js';
import { GetOrderQuery } from './application/get-order/get-order.query.js';
import { HandlePaymentReplyHandler } from './application/handle-payment-reply/handle-payment-reply.handler.js';
import { HandleSeatReplyHandler } from './application/handle-seat-reply/handle-seat-reply.handler.js';
import { ListCustomerOrdersQuery } from './application/list-customer-orders/list-customer-orders.query.js';
import { ListShowOrdersQuery } from './application/list-show-orders/list-show-orders.query.js';
import { PlaceOrderHandler } from './application/place-order/place-order.handler.js';
import { RequestRefundHandler } from './application/request-refund/request-refund.handler.js';
import { OrderSettlements } from './application/ports/order-settlements.port.js';
import { OrderStore } from './application/ports/order-store.port.js';
import { ReplyBacklog } from './application/ports/reply-backlog.port.js';
import { SAGA_SETTINGS } from './application/saga-settings.js';
import { TimeOutStepsHandler } from './application/time-out-steps/time-out-steps.handler.js';
import { PostgresOrderSettlements } from './infrastructure/persistence/postgres-order-settlements.js';
import { KafkaReplyBacklog } from './infrastructure/messaging/kafka-reply-backlog.js';
import { SagaMetrics } from './infrastructure/metrics/saga-metrics.js';
import { PostgresOrderStore } from './infrastructure/persistence/postgres-order-store.js';
import { CustomerOrdersController } from './interface/http/customer-orders.controller.js';
import { OrderOutcomesController } from './interface/http/order-outcomes.controller.js';
import { OrdersController } from './interface/http/orders.controller.js';
import { SagasController } from './interface/http/sagas.controller.js';
import { ShowOrdersController } from './interface/http/show-orders.controller.js';
import { SagaReplyConsumer } from './interface/messaging/saga-reply.consumer.js';
import { StepTimeoutScheduler } from './interface/scheduling/step-timeout.scheduler.js';
import { orderingPlatform, type OrderingSettings } from './ordering.settings.js';

@Module({
  controllers: [OrdersController, CustomerOrdersController, ShowOrdersController, SagasController, OrderOutcomesController, SagaReplyConsumer],
  providers: [
    { provide: OrderStore, useClass: PostgresOrderStore },
    SagaMetrics,
    { provide: OrderSettlements, useClass: PostgresOrderSettlements },
    PlaceOrderHandler,
    RequestRefundHandler,
    ListShowOrdersQuery,
    ListCustomerOrdersQuery,
    HandleSeatReplyHandler,
    HandlePaymentReplyHandler,
    TimeOutStepsHandler,
    GetOrderQuery,
    CountSagasInFlightQuery,
    CountOrderOutcomesQuery,
    StepTimeoutScheduler,
  ],
})
export class OrderingModule {
  /** With the settings runService read and checked at boot (orderingSettingsFromEnv): nothing here reads the environment. */
  static withSettings(settings: OrderingSettings): DynamicModule {
    return {
      module: OrderingModule,
      imports: [PlatformModule.forService(orderingPlatform, settings.platform)],
      providers: [
        { provide: SAGA_SETTINGS, useValue: settings.saga },
        { provide: ReplyBacklog, inject: [SagaMetrics], useFactory: (metrics: SagaMetrics) => new KafkaReplyBacklog(requiredKafka(settings), metrics) },
      ],
    };
  }
}

function requiredKafka(settings: OrderingSettings) {
  if (!settings.platform.kafka) throw new Error('ordering reads its replies from Kafka, but its settings name no broker');
  return settings.platform.kafka;
}
