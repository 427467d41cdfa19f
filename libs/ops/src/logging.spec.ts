import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { pinoHttp } from 'pino-http';
import { loggerParams } from './logging';

describe('request logs', () => {
  let server: Server;
  let url: string;
  const lines: string[] = [];

  beforeAll(async () => {
    const { pinoHttp: options } = loggerParams('info') as { pinoHttp: Record<string, unknown> };
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = pinoHttp({ ...options, logger: pino({ level: 'info' }, sink) } as never);
    server = createServer((req, res) => {
      log(req, res);
      req.resume().on('end', () => res.end('{}'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('hold neither credentials, tokens, bodies nor locations', async () => {
    await fetch(`${url}/v1/service-offices/nearest?lat=34.4358&lon=-119.8276`, {
      headers: { authorization: 'Bearer secret-token-value', cookie: 'session=cookie-value' },
    });
    await fetch(`${url}/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'u', password: 'hunter2-password' }),
    });
    const text = lines.join('');
    expect(lines).toHaveLength(2);
    expect(text).toContain('/v1/service-offices/nearest');
    for (const secret of ['secret-token-value', 'cookie-value', 'hunter2-password', '34.4358', '-119.8276']) {
      expect(text).not.toContain(secret);
    }
  });
});
