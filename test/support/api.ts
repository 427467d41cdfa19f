import { Agent, fetch } from 'undici';
import { apiContract } from './contract';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * A thin fetch client for e2e tests: real HTTP against the running app (HTTPS trusting `ca` when given).
 * Every answer is checked against the API's OpenAPI document (see contract.ts).
 */
export class Api {
  private readonly dispatcher?: Agent;

  /** `ca`: trust this certificate (HTTPS); `from`: connect from this local address (127.0.0.x), as another client. */
  constructor(
    readonly baseUrl: string,
    ca?: Buffer,
    from?: string,
  ) {
    if (ca || from) this.dispatcher = new Agent({ connect: { ca }, localAddress: from });
  }

  async request<T = any>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    } else if (body !== undefined) {
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body, dispatcher: this.dispatcher });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON (metrics, docs): keep the text
    }
    apiContract().check(method, response.url, response.status, response.headers.get('content-type'), parsed);
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  get<T = any>(path: string, token?: string) {
    return this.request<T>('GET', path, { token });
  }

  post<T = any>(path: string, body: unknown, token?: string) {
    return this.request<T>('POST', path, { token, body });
  }

  put<T = any>(path: string, body: unknown, token?: string) {
    return this.request<T>('PUT', path, { token, body });
  }

  delete<T = any>(path: string, token?: string) {
    return this.request<T>('DELETE', path, { token });
  }
}
