import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { json, static as serveStatic, text, type NextFunction, type Request, type Response } from 'express';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { strictValidationPipe } from '@poc/common';
import { AppConfig, loadConfig, tlsCredentials } from '@poc/config';
import { EmbeddedBrokerSource } from '@poc/telemetry';
import { AppModule } from './app.module';

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

// Paths of the API and its operator surfaces: never answered with the portals' page.
const API_PATHS = /^\/(v1|health|metrics|docs)(\/|-json|$|\?)/;

/**
 * The portals at `/`: their files, and their page for any other GET a browser makes (client-side routes),
 * with the deployment's map settings in a meta tag (no request of its own, no data).
 */
function servePortals(app: NestExpressApplication, config: AppConfig): void {
  const dir = resolve(config.PORTAL_DIR);
  if (!existsSync(join(dir, 'index.html'))) return;
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const page = readFileSync(join(dir, 'index.html'), 'utf8').replace(
    '<head>',
    `<head><meta name="poc-tile-url" content="${escape(config.PORTAL_TILE_URL ?? '')}">`,
  );
  app.use(serveStatic(dir, { index: false, maxAge: '1h' }));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || API_PATHS.test(req.path) || !req.accepts('html')) return next();
    res.type('html').send(page);
  });
}

// Operator surfaces: with INTERNAL_PORT set they answer there only, and the public port 404s them.
const INTERNAL_PATHS = /^\/(metrics|docs)(\/|-json|$|\?)/;

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
  if (internal) {
    app.use((req: Request, res: Response, next: NextFunction) => {
      const onInternal = req.socket.localPort === (internal.address() as AddressInfo | null)?.port;
      if (onInternal === INTERNAL_PATHS.test(req.url) || req.url.startsWith('/health')) return next();
      res.status(404).json({ error: 'not_found', message: 'Not found' });
    });
  }
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
