import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PlatformModule } from '@boxoffice/platform';
import { Upstreams } from './infrastructure/upstreams.js';
import { AUTH_SETTINGS, authSettingsFromEnv } from './interface/auth/auth-settings.js';
import { DemoTokenController } from './interface/auth/demo-token.controller.js';
import { RoleGuard } from './interface/auth/role.guard.js';
import { AdminCatalogController } from './interface/http/admin-catalog.controller.js';
import { OrdersController } from './interface/http/orders.controller.js';
import { ShowsController } from './interface/http/shows.controller.js';
import { gatewayPlatform } from './gateway.settings.js';

const auth = authSettingsFromEnv();
const upstreams = new Upstreams();

@Module({
  imports: [
    // Ready while every context it routes to answers on at least one replica.
    PlatformModule.forService({ ...gatewayPlatform, upstreams: upstreams.all().map(({ name, baseUrls }) => ({ name, baseUrls })) }),
    // A KeyObject, not the string: given a string, jsonwebtoken first tries (and fails) to read it as a
    // public key on every verify, a cost that showed in the gateway's profile (BENCHMARKS.md).
    JwtModule.register({ secret: createSecretKey(Buffer.from(auth.jwtSecret)), signOptions: { algorithm: 'HS256', expiresIn: '12h' }, verifyOptions: { algorithms: ['HS256'] } }),
  ],
  controllers: [ShowsController, OrdersController, AdminCatalogController, DemoTokenController],
  providers: [{ provide: Upstreams, useValue: upstreams }, { provide: AUTH_SETTINGS, useValue: auth }, RoleGuard],
})
export class GatewayModule {}
