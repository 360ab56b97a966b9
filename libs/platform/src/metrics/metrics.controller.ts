import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { prometheusContentType } from 'prom-client';
import { WithoutCallerToken } from '../auth/caller.guard.js';
import { PlatformMetrics } from './platform-metrics.js';

/** Prometheus scrapes this; pods carry the prometheus.io annotations that point it here. */
@WithoutCallerToken()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: PlatformMetrics) {}

  @Get()
  @ApiOperation({ summary: 'Metrics in the Prometheus text format' })
  @ApiOkResponse({ description: 'Every metric of this process', content: { [prometheusContentType]: { schema: { type: 'string' } } } })
  @Header('Content-Type', prometheusContentType)
  @Header('Cache-Control', 'no-store')
  scrape(): Promise<string> {
    return this.metrics.scrape();
  }
}
