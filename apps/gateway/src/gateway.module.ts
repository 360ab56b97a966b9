import { Module } from '@nestjs/common';
import { PlatformModule } from '@boxoffice/platform';
import { Upstreams } from './infrastructure/upstreams.js';
import { AdminCatalogController } from './interface/http/admin-catalog.controller.js';
import { ShowsController } from './interface/http/shows.controller.js';

@Module({
  imports: [PlatformModule.forService({ service: 'gateway' })],
  controllers: [ShowsController, AdminCatalogController],
  providers: [{ provide: Upstreams, useValue: new Upstreams() }],
})
export class GatewayModule {}
