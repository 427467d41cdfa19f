import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { AddressInfo } from 'node:net';
import { strictValidationPipe } from '@poc/common';
import { AppConfig } from '@poc/config';
import { EmbeddedBrokerSource } from '@poc/telemetry';
import { AppModule } from './app.module';

export interface RunningApp {
  app: INestApplication;
  config: AppConfig;
  httpUrl: string;
  /** The embedded broker's plain MQTT address, or null when consuming from MQTT_URL or plain is off. */
  mqttUrl: string | null;
}

/** Builds and starts the service exactly as `npm run up` does; tests call it with their own environment. */
export async function startApp(env: Record<string, string | undefined> = process.env): Promise<RunningApp> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(env), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.useBodyParser('json', { limit: '10mb' });
  app.useBodyParser('text', { type: 'text/csv', limit: '10mb' }); // service-office imports
  app.use(helmet());
  app.useGlobalPipes(strictValidationPipe());
  app.disable('x-powered-by');

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('POC telemetry backend')
      .setDescription('Portable oxygen concentrator telemetry: devices, consent, provider and internal views')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });

  const config = app.get(AppConfig);
  if (config.CORS_ORIGINS) app.enableCors({ origin: config.CORS_ORIGINS.split(','), credentials: false });
  await app.listen(config.PORT, config.HOST);
  const { port } = app.getHttpServer().address() as AddressInfo;
  const mqttPort = app.get(EmbeddedBrokerSource).mqttPort;
  return {
    app,
    config,
    httpUrl: `http://${config.HOST}:${port}`,
    mqttUrl: mqttPort === null ? null : `mqtt://${config.HOST}:${mqttPort}`,
  };
}
