import { methodNotAllowed, runService } from '@boxoffice/platform';
import { SwaggerModule } from '@nestjs/swagger';
import { GatewayModule } from './gateway.module.js';
import { gatewaySettingsFromEnv } from './gateway.settings.js';
import { openApiDocument } from './interface/http/openapi-document.js';

await runService({
  name: 'gateway',
  module: (settings) => GatewayModule.withSettings(settings),
  settings: gatewaySettingsFromEnv,
  // The public edge: it authenticates end users (RoleGuard) and signs the caller tokens the contexts check.
  edge: true,
  configure: (app) => {
    const document = openApiDocument(app);
    app.use(methodNotAllowed(document.paths as Record<string, Record<string, unknown>>));
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  },
});
