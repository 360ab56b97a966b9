import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { schemaComponents } from './openapi.js';

/**
 * The public API's OpenAPI document, as the gateway publishes it at
 * `/docs/openapi.json`: built from the controllers' decorators, with the
 * answers' schemas named once (from the zod schemas in libs/contracts).
 * test/unit/docs-paths.spec.ts checks the API tables in the docs against it.
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('boxoffice')
    .setDescription(
      'Public REST API: browse shows, buy seats, manage the catalog. Every error is an application/problem+json body (schema ProblemDetails); ' +
        'besides the answers each operation lists, any request can get 405 (a method the path does not have, with `Allow`), ' +
        '408 (a request not received in time) or 431 (headers over 16 KB).',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...schemaComponents() } };
  return document;
}

/** The statuses any request can get besides those its operation lists (the document's description says so). */
export const ANY_REQUEST_STATUSES = [405, 408, 431];
