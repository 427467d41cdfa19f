import { DiscoveryService } from '@nestjs/core';
import { routeRules } from '../../libs/auth/src';
import { TestApp, useTestApp } from '../support/test-app';

describe('route rules', () => {
  let app: TestApp;
  // The broker hook's routes exist only with its secret set.
  useTestApp((started) => ({ app } = started), { BROKER_HOOK_SECRET: 'a-broker-hook-secret-of-forty-characters' });

  const table = () =>
    routeRules(
      app.running.app
        .get(DiscoveryService)
        .getControllers()
        .map((w) => w.metatype as new (...args: never[]) => unknown),
    );

  it('every registered route states who may call it', () => {
    const rules = table();
    expect(rules.length).toBeGreaterThan(10);
    expect(rules.filter((r) => r.rule === null)).toEqual([]);
  });

  it('who can reach what matches the reviewed table (a change here is a permission change)', () => {
    const rendered = table().map(
      (r) =>
        `${r.route.padEnd(48)} ${r.rule === 'public' ? 'PUBLIC' : r.rule === 'broker' ? 'BROKER SECRET' : r.rule?.join(', ')}`,
    );
    expect(rendered.join('\n')).toMatchSnapshot();
  });

  it('every route that is not public answers 401 without a token', async () => {
    for (const { route, rule } of table()) {
      if (rule === 'public') continue;
      const [method, path] = route.split(' ');
      const concrete = path.replace(/:[^/]+/g, 'X-1');
      const response = await app.api.request(method, concrete, method === 'GET' ? {} : { body: {} });
      expect({ route, status: response.status }).toEqual({ route, status: 401 });
    }
  });
});
