import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { methodNotAllowed, runService } from '@boxoffice/platform';
import { GatewayModule } from './gateway.module.js';
import { gatewaySettingsFromEnv } from './gateway.settings.js';
import { allowedOriginsFromEnv, corsOptions } from './interface/http/cors.js';
import { schemaComponents } from './interface/http/openapi.js';

await runService({
  name: 'gateway',
  module: GatewayModule,
  settings: gatewaySettingsFromEnv,
  // The public edge: it authenticates end users (RoleGuard) and signs the caller tokens the contexts check.
  edge: true,
  configure: (app) => {
    // Before the 405 check: a browser's CORS preflight is an OPTIONS request (ADR 0033).
    const origins = allowedOriginsFromEnv();
    if (origins.length > 0) app.enableCors(corsOptions(origins));
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
    // The answers' schemas, named once (from the zod schemas in libs/contracts) and referenced by each operation.
    document.components = { ...document.components, schemas: { ...document.components?.schemas, ...schemaComponents() } };
    app.use(methodNotAllowed(document.paths as Record<string, Record<string, unknown>>));
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  },
});
