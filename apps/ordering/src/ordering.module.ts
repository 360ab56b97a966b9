import { Module } from '@nestjs/common';
import { PlatformModule } from '@boxoffice/platform';
import { orderingDatabase } from './ordering.database.js';

@Module({
  imports: [PlatformModule.forService({ service: 'ordering', database: orderingDatabase, messaging: true })],
})
export class OrderingModule {}
