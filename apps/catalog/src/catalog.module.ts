import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@boxoffice/platform';
import { CancelShowHandler } from './application/cancel-show/cancel-show.handler.js';
import { ShowRepository } from './application/ports/show.repository.port.js';
import { VenueRepository } from './application/ports/venue.repository.port.js';
import { PublishShowHandler } from './application/publish-show/publish-show.handler.js';
import { RegisterVenueHandler } from './application/register-venue/register-venue.handler.js';
import { ScheduleShowHandler } from './application/schedule-show/schedule-show.handler.js';
import { TypeOrmShowRepository } from './infrastructure/persistence/typeorm-show.repository.js';
import { TypeOrmVenueRepository } from './infrastructure/persistence/typeorm-venue.repository.js';
import { ShowsController } from './interface/http/shows.controller.js';
import { VenuesController } from './interface/http/venues.controller.js';
import { catalogPlatform, type CatalogSettings } from './catalog.settings.js';

@Module({
  controllers: [VenuesController, ShowsController],
  providers: [
    RegisterVenueHandler,
    ScheduleShowHandler,
    PublishShowHandler,
    CancelShowHandler,
    { provide: VenueRepository, useClass: TypeOrmVenueRepository },
    { provide: ShowRepository, useClass: TypeOrmShowRepository },
  ],
})
export class CatalogModule {
  /** With the settings runService read and checked at boot (catalogSettingsFromEnv): nothing here reads the environment. */
  static withSettings(settings: CatalogSettings): DynamicModule {
    return {
      module: CatalogModule,
      imports: [PlatformModule.forService(catalogPlatform, settings.platform)],
    };
  }
}
