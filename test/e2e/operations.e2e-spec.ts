import { TestApp, useTestApp } from '../support/test-app';

describe('operations', () => {
  let app: TestApp;
  useTestApp((started) => ({ app } = started));

  it('reports liveness and readiness (database reachable and migrated) without auth', async () => {
    expect((await app.api.get('/health/live')).body).toEqual({ status: 'ok' });
    const ready = await app.api.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.details).toEqual({ database: { status: 'up' }, migrations: { status: 'up' } });
  });

  it('is not ready while a migration is pending', async () => {
    await app.sql(`DELETE FROM schema_migrations`);
    const ready = await app.api.get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.details.migrations.status).toBe('down');
  });

  it('exposes Prometheus metrics', async () => {
    await app.api.get('/health/live');
    const metrics = await app.api.get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(metrics.body).toContain('process_resident_memory_bytes');
    expect(metrics.body).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/health\/live",status="200"\}/,
    );
  });

  it('serves the OpenAPI document generated from the code, and its UI', async () => {
    const doc = await app.api.get('/docs-json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(doc.body.paths['/v1/auth/token'].post).toBeDefined();
    expect(doc.body.paths['/v1/admin/devices'].post.security).toEqual([{ bearer: [] }]);
    expect(doc.body.components.schemas.ConsentStateResponse).toBeDefined();
    const ui = await app.api.get('/docs');
    expect(ui.status).toBe(200);
    expect(String(ui.body)).toContain('swagger');
  });

  it('sends security headers and no framework banner', async () => {
    const response = await app.api.get('/health/live');
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
