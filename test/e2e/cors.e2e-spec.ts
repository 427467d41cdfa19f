import { TestApp, useTestApp } from '../support/test-app';

describe('CORS: only configured browser origins', () => {
  let app: TestApp;
  useTestApp((started) => ({ app } = started), { CORS_ORIGINS: 'https://portal.example.com' });

  const preflight = (origin: string) =>
    app.api.request('OPTIONS', '/v1/auth/token', {
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });

  it('allows a configured origin and no other', async () => {
    const allowed = await preflight('https://portal.example.com');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://portal.example.com');
    const refused = await preflight('https://evil.example.net');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS by default', () => {
  let app: TestApp;
  useTestApp((started) => ({ app } = started));

  it('allows no cross-origin browser calls when no origin is configured', async () => {
    const response = await app.api.request('OPTIONS', '/v1/auth/token', {
      headers: { origin: 'https://portal.example.com', 'access-control-request-method': 'POST' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
