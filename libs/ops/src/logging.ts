import type { Params } from 'nestjs-pino';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Structured JSON logs that never hold secrets or locations: a request is logged as method and
 * path only (no headers, no query string, which may carry coordinates; bodies are never logged).
 */
export function loggerParams(level: string): Params {
  return {
    pinoHttp: {
      level,
      serializers: {
        req: (req: IncomingMessage & { id?: unknown }) => ({
          id: req.id,
          method: req.method,
          path: (req.url ?? '').split('?')[0],
        }),
        res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      },
      redact: {
        paths: ['*.password', '*.accessToken', '*.refreshToken', '*.location', '*.authorization'],
        censor: '[redacted]',
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    },
  };
}
