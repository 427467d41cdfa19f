import { ApiClient, createApiClient } from '@poc/api-client';
import { Agent, fetch as undiciFetch } from 'undici';

/**
 * The simulator's HTTP side: the API's typed client (the same public API a mobile app and an admin use),
 * over HTTPS trusting `ca` when given (`npm run up`'s self-signed certificate).
 */
export class SimHttp {
  readonly client: ApiClient;
  private readonly dispatcher?: Agent;

  constructor(
    private readonly baseUrl: string,
    ca?: Buffer,
  ) {
    if (ca) this.dispatcher = new Agent({ connect: { ca } });
    this.client = createApiClient({ baseUrl, fetch: (request) => this.send(request) });
  }

  /** A call's answer, or an error naming the call and the refusal. */
  static data<T>(result: { data?: T; error?: unknown; response: Response }): T {
    if (result.data === undefined || result.error !== undefined) {
      throw new Error(`${result.response.url}: ${result.response.status} ${JSON.stringify(result.error)}`);
    }
    return result.data;
  }

  async signIn(username: string, password: string): Promise<string> {
    return SimHttp.data(await this.client.POST('/v1/auth/token', { body: { username, password } })).accessToken;
  }

  /** An operation the benchmarks drive by path, outside the simulator's typed calls: `status` or an error. */
  async expect<T>(status: number, method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const response = await this.send(
      new Request(`${this.baseUrl}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    const text = await response.text();
    if (response.status !== status)
      throw new Error(`${method} ${path}: expected ${status}, got ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  private async send(request: Request): Promise<Response> {
    if (!this.dispatcher) return fetch(request);
    const body = request.body ? await request.text() : undefined;
    const response = await undiciFetch(request.url, {
      method: request.method,
      headers: [...request.headers],
      body,
      dispatcher: this.dispatcher,
    });
    return response as unknown as Response;
  }
}

/** A call's options as the holder of `token`. */
export const as = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

/** Runs `work` over `items` with at most `limit` in flight. */
export async function inParallel<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]);
      }
    }),
  );
  return results;
}
