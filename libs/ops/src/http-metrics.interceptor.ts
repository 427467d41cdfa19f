import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Histogram, register } from 'prom-client';
import { Observable, tap } from 'rxjs';

const duration =
  (register.getSingleMetric('http_request_duration_seconds') as Histogram | undefined) ??
  new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route template (never by concrete path, which may hold identifiers)',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  });

@Injectable()
export class HttpMetricsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const end = duration.startTimer({ method: request.method, route: String(request.route?.path ?? 'unknown') });
    const done = () => end({ status: String(http.getResponse<Response>().statusCode) });
    return next.handle().pipe(tap({ complete: done, error: done }));
  }
}
