import { type ArgumentsHost, Catch, type ExceptionFilter, ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';

/**
 * A failed health check answers 503 with what failed and why (Terminus's
 * `{ status, info, error, details }`, as its OpenAPI entry documents), not
 * with the bare problem the global filter would make of it: when a service is
 * not ready, its details are what an operator needs.
 */
@Catch(ServiceUnavailableException)
export class HealthCheckFailedFilter implements ExceptionFilter {
  catch(exception: ServiceUnavailableException, host: ArgumentsHost): void {
    host.switchToHttp().getResponse<Response>().status(503).json(exception.getResponse());
  }
}
