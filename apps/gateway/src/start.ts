import { methodNotAllowed, runService } from '@boxoffice/platform';
import { SwaggerModule } from '@nestjs/swagger';
import { GatewayModule } from './gateway.module.js';
import { gatewaySettingsFromEnv } from './gateway.settings.js';
import { corsOptions } from './interface/http/cors.js';
import { openApiDocument } from './interface/http/openapi-document.js';

await runService({
  name: 'gateway',
  module: (settings) => GatewayModule.withSettings(settings),
  settings: gatewaySettingsFromEnv,
  // The public edge: it authenticates end users (RoleGuard) and signs the caller tokens the contexts check.
  edge: true,
  configure: (app, { corsAllowedOrigins }) => {
    // Before the 405 check: a browser's CORS preflight is an OPTIONS request (ADR 0033).
    if (corsAllowedOrigins.length > 0) app.enableCors(corsOptions(corsAllowedOrigins));
    const document = openApiDocument(app);
    app.use(methodNotAllowed(document.paths as Record<string, Record<string, unknown>>));
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  },
});
