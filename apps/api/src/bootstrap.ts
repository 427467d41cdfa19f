import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { json, text } from 'express';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { strictValidationPipe } from '@poc/common';
import { AppConfig, loadConfig, tlsCredentials } from '@poc/config';
import { EmbeddedBrokerSource } from '@poc/telemetry';
import { AppModule } from './app.module';
import { confineOperatorSurfaces, servePortals } from './http-surfaces';
import { openApiDocument } from './openapi.document';

export interface RunningApp {
  app: INestApplication;
  config: AppConfig;
  httpUrl: string;
  /** The embedded broker's plain MQTT address, or null when consuming from MQTT_URL or plain is off. */
  mqttUrl: string | null;
  /** The embedded broker's MQTT-over-TLS address, or null when TLS is not configured. */
  mqttsUrl: string | null;
  /** Where /metrics and /docs are served when INTERNAL_PORT is set, else null (they are on httpUrl). */
  internalUrl: string | null;
}

const BULK_IMPORT_PATH = '/v1/admin/service-offices/import';

/** Builds and starts the service exactly as `npm run up` does; tests call it with their own environment. */
export async function startApp(env: Record<string, string | undefined> = process.env): Promise<RunningApp> {
  const tls = tlsCredentials(loadConfig(env));
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(env), {
    bufferLogs: true,
    bodyParser: false,
    ...(tls ? { httpsOptions: tls } : {}), // Node refuses TLS below 1.2 by default
  });
  const config = app.get(AppConfig);
  const internal = config.INTERNAL_PORT === undefined ? null : createServer(app.getHttpAdapter().getInstance());
  if (internal) confineOperatorSurfaces(app, internal);
  app.useLogger(app.get(Logger));
  // Request bodies are small (64 KiB) except the service-office import (GeoJSON or CSV, 10 MiB);
  // a larger one is refused with 413 before it is read.
  app.use(BULK_IMPORT_PATH, json({ limit: '10mb' }), text({ type: 'text/csv', limit: '10mb' }));
  app.useBodyParser('json', { limit: '64kb' });
  // Helmet's defaults, with the portals' tile server (when one is configured) allowed for map images.
  const tileOrigin = config.PORTAL_TILE_URL ? new URL(config.PORTAL_TILE_URL.replace(/[{}]/g, '')).origin : null;
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { imgSrc: ["'self'", 'data:', ...(tileOrigin ? [tileOrigin] : [])] } },
    }),
  );
  app.useGlobalPipes(strictValidationPipe());
  app.disable('x-powered-by');

  SwaggerModule.setup('docs', app, openApiDocument(app), { jsonDocumentUrl: 'docs-json' });

  servePortals(app, config);
  if (config.CORS_ORIGINS) app.enableCors({ origin: config.CORS_ORIGINS.split(','), credentials: false });
  await app.listen(config.PORT, config.HOST);
  const portOf = (server: Server) => (server.address() as AddressInfo).port;
  if (internal) {
    await new Promise<void>((resolve) => internal.listen(config.INTERNAL_PORT, config.HOST, resolve));
    app.getHttpServer().once('close', () => internal.close());
  }
  const broker = app.get(EmbeddedBrokerSource);
  const url = (scheme: string, port: number | null) => (port === null ? null : `${scheme}://${config.HOST}:${port}`);
  return {
    app,
    config,
    httpUrl: url(tls ? 'https' : 'http', portOf(app.getHttpServer())) as string,
    mqttUrl: url('mqtt', broker.mqttPort),
    mqttsUrl: url('mqtts', broker.mqttsPort),
    internalUrl: internal && url('http', portOf(internal)),
  };
}
