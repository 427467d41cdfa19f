import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AppConfig } from '@poc/config';
import { static as serveStatic, type NextFunction, type Request, type Response } from 'express';
import { existsSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';

// What the service answers over HTTP besides the API: operator surfaces and the portals.
const OPERATOR_PATHS = /^\/(metrics|docs|v1\/broker)(?![a-z0-9_])/;
const NOT_PORTAL_PATHS = /^\/(v1|health|metrics|docs)(\/|-json|$|\?)/;

/** A path as routing may read it: Express matches case-insensitively, and a path may be percent-encoded. */
function routedPath(url: string): string {
  // An absolute-form request target (`GET http://host/metrics HTTP/1.1`) is routed by its path.
  let path = url.split('?')[0];
  if (!url.startsWith('/')) {
    try {
      path = new URL(url).pathname;
    } catch {
      // no route matches it either
    }
  }
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // not valid percent-encoding: no route matches it either
  }
  return decoded.replace(/\/+/g, '/').toLowerCase();
}

/** With INTERNAL_PORT set, /metrics, /docs and the broker hook answer there only, and only they (and health) do. */
export function confineOperatorSurfaces(app: NestExpressApplication, internal: Server): void {
  app.use((req: Request, res: Response, next: NextFunction) => {
    const onInternal = req.socket.localPort === (internal.address() as AddressInfo | null)?.port;
    const path = routedPath(req.url);
    if (onInternal === OPERATOR_PATHS.test(path) || path.startsWith('/health')) return next();
    res.status(404).json({ statusCode: 404, error: 'not_found', message: 'Not found' });
  });
}

/**
 * The portals at `/`: their files, and their page for any other GET a browser makes (client-side routes),
 * with the deployment's map settings in a meta tag (no request of its own, no data).
 */
export function servePortals(app: NestExpressApplication, config: AppConfig): void {
  const dir = resolve(config.PORTAL_DIR);
  if (!existsSync(join(dir, 'index.html'))) return;
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const page = readFileSync(join(dir, 'index.html'), 'utf8').replace(
    '<head>',
    `<head><meta name="poc-tile-url" content="${escape(config.PORTAL_TILE_URL ?? '')}">`,
  );
  app.use(serveStatic(dir, { index: false, maxAge: '1h' }));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || NOT_PORTAL_PATHS.test(req.path) || !req.accepts('html')) return next();
    res.type('html').send(page);
  });
}
