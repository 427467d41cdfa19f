import { startTestApp, TestApp } from '../support/test-app';

describe('smoke', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('is ready', async () => {
    const r = await app.api.get('/health/ready');
    expect(r.status).toBe(200);
  });
});
