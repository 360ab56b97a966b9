import { Module } from '@nestjs/common';
import { PlatformModule } from '@boxoffice/platform';
import { ticketingDatabase } from './ticketing.database.js';

@Module({
  imports: [PlatformModule.forService({ service: 'ticketing', database: ticketingDatabase, messaging: true })],
})
export class TicketingModule {}
