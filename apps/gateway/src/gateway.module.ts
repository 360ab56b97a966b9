import { createSecretKey } from 'node:crypto';
import { Module, type DynamicModule } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PlatformModule } from '@boxoffice/platform';
import { KafkaAdminView } from './infrastructure/operations/kafka-admin-view.js';
import { OperationsFeed } from './infrastructure/operations/operations-feed.js';
import { TraceBackend } from './infrastructure/operations/trace-backend.js';
import { SeatFeed } from './infrastructure/seat-feed.js';
import { Upstreams } from './infrastructure/upstreams.js';
import { AUTH_SETTINGS } from './interface/auth/auth-settings.js';
import { DemoTokenController } from './interface/auth/demo-token.controller.js';
import { RoleGuard } from './interface/auth/role.guard.js';
import { AdminCatalogController } from './interface/http/admin-catalog.controller.js';
import { OperationsController } from './interface/http/operations.controller.js';
import { OrdersController } from './interface/http/orders.controller.js';
import { SeatEventsController } from './interface/http/seat-events.controller.js';
import { ShowsController } from './interface/http/shows.controller.js';
import { TracesController } from './interface/http/traces.controller.js';
import { gatewayPlatform, type GatewaySettings } from './gateway.settings.js';

@Module({
  controllers: [ShowsController, SeatEventsController, OrdersController, AdminCatalogController, OperationsController, TracesController, DemoTokenController],
  providers: [RoleGuard],
})
export class GatewayModule {
  /** With the settings runService read and checked at boot (gatewaySettingsFromEnv): nothing here reads the environment. */
  static withSettings({ platform, auth, upstreams, seatFeed, traceBackend }: GatewaySettings): DynamicModule {
    const kafka = platform.kafka;
    if (!kafka) throw new Error('the gateway reads Kafka for the operations console, but its settings have none (KAFKA_BROKERS)');
    return {
      module: GatewayModule,
      imports: [
        // Ready while every context it routes to answers on at least one replica.
        PlatformModule.forService({ ...gatewayPlatform, upstreams: upstreams.all().map(({ name, baseUrls }) => ({ name, baseUrls })) }, platform),
        // A KeyObject, not the string: given a string, jsonwebtoken first tries (and fails) to read it as a
        // public key on every verify, a cost that showed in the gateway's profile (BENCHMARKS.md).
        JwtModule.register({ secret: createSecretKey(Buffer.from(auth.jwtSecret)), signOptions: { algorithm: 'HS256', expiresIn: '12h' }, verifyOptions: { algorithms: ['HS256'] } }),
      ],
      providers: [
        { provide: Upstreams, useValue: upstreams },
        { provide: SeatFeed, useValue: new SeatFeed(seatFeed.kafka, seatFeed.instance) },
        { provide: AUTH_SETTINGS, useValue: auth },
        // The operations console's view of Kafka (ADR 0035).
        { provide: KafkaAdminView, useFactory: () => new KafkaAdminView(kafka) },
        { provide: OperationsFeed, useFactory: () => new OperationsFeed(kafka, platform.identity.instance) },
        // The console's waterfall of one trace, read from the trace backend (ADR 0037).
        { provide: TraceBackend, useValue: new TraceBackend(traceBackend) },
      ],
    };
  }
}
