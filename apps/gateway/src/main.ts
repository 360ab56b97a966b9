import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { runService } from '@boxoffice/platform';
import { GatewayModule } from './gateway.module.js';
import { gatewaySettingsFromEnv } from './gateway.settings.js';

await runService({
  name: 'gateway',
  module: GatewayModule, settings: gatewaySettingsFromEnv,
  configure: (app) => {
    const config = new DocumentBuilder()
      .setTitle('boxoffice')
      .setDescription('Public REST API: browse shows, buy seats, manage the catalog. Every error is an application/problem+json body.')
      .setVersion('1')
      .addBearerAuth()
      .build();
    SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config), { jsonDocumentUrl: 'docs/openapi.json' });
  },
});
