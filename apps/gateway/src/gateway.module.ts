import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PlatformModule } from '@boxoffice/platform';
import { SeatFeed } from './infrastructure/seat-feed.js';
import { Upstreams } from './infrastructure/upstreams.js';
import { AUTH_SETTINGS, authSettingsFromEnv } from './interface/auth/auth-settings.js';
import { DemoTokenController } from './interface/auth/demo-token.controller.js';
import { RoleGuard } from './interface/auth/role.guard.js';
import { AdminCatalogController } from './interface/http/admin-catalog.controller.js';
import { OrdersController } from './interface/http/orders.controller.js';
import { SeatEventsController } from './interface/http/seat-events.controller.js';
import { ShowsController } from './interface/http/shows.controller.js';
import { gatewayPlatform, seatFeedSettingsFromEnv } from './gateway.settings.js';

const auth = authSettingsFromEnv();
const upstreams = new Upstreams();
const seatFeed = seatFeedSettingsFromEnv(process.env);

@Module({
  imports: [
    // Ready while every context it routes to answers on at least one replica.
    PlatformModule.forService({ ...gatewayPlatform, upstreams: upstreams.all().map(({ name, baseUrls }) => ({ name, baseUrls })) }),
    // A KeyObject, not the string: given a string, jsonwebtoken first tries (and fails) to read it as a
    // public key on every verify, which was a tenth of the gateway's CPU under load (BENCHMARKS.md).
    JwtModule.register({ secret: createSecretKey(Buffer.from(auth.jwtSecret)), signOptions: { algorithm: 'HS256', expiresIn: '12h' }, verifyOptions: { algorithms: ['HS256'] } }),
  ],
  controllers: [ShowsController, SeatEventsController, OrdersController, AdminCatalogController, DemoTokenController],
  providers: [
    { provide: Upstreams, useValue: upstreams },
    { provide: SeatFeed, useValue: new SeatFeed(seatFeed.kafka, seatFeed.instance) },
    { provide: AUTH_SETTINGS, useValue: auth },
    RoleGuard,
  ],
})
export class GatewayModule {}
