// The portals' only way to the service: its public HTTP API through the typed client generated from its
// OpenAPI document, with the caller's token kept in memory (never in localStorage, where any script on the
// page could read it).
import { type ApiClient, type ApiSchemas, createApiClient } from '@poc/api-client';

export type Role = 'patient' | 'provider' | 'support' | 'field_service' | 'privacy_officer' | 'admin';

export interface Session {
  username: string;
  role: Role;
  accessToken: string;
  refreshToken: string | null;
}

/** An API refusal in words a person understands, with the status for code that needs it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const WORDS: Record<number, string> = {
  400: 'That request was not accepted',
  401: 'Your session has ended. Please sign in again.',
  403: 'Your role does not allow this.',
  404: 'Nothing was found.',
  413: 'That file is too large.',
  429: 'Too many attempts. Please wait a moment and try again.',
  503: 'The service is busy. Please try again shortly.',
};

function explain(status: number, body: unknown): string {
  const detail = (body as Partial<ApiSchemas['ErrorResponse']> | null)?.message;
  const text = typeof detail === 'string' ? detail : '';
  const general = WORDS[status] ?? (status >= 500 ? 'The service had a problem. Please try again.' : 'Request refused');
  return status === 400 && text ? `${general}: ${text}` : general;
}

/** What to tell the user about a failed call. */
export const messageOf = (error: unknown): string =>
  error instanceof ApiError ? error.message : 'Something went wrong. Please try again.';

const roleOf = (accessToken: string): Role =>
  JSON.parse(atob(accessToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).role as Role;

/** A typed call's answer (openapi-fetch's `{data, error, response}`), or the refusal as an ApiError. */
export function answer<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    throw new ApiError(result.response.status, explain(result.response.status, result.error));
  }
  return result.data as T;
}

/** A request whose body is a file's text as it is (GeoJSON or CSV), not JSON. */
export const asText = (contentType: string) => ({
  bodySerializer: (text: unknown) => text as string,
  headers: { 'content-type': contentType },
});

export class Api {
  private session: Session | null = null;
  /**
   * The API's typed client (generated from its OpenAPI document), as the signed-in user: an expired access
   * token is refreshed once, then the session ends.
   */
  readonly client: ApiClient = createApiClient({ baseUrl: '', fetch: (request) => this.send(request) });

  constructor(private readonly onSessionEnded: () => void) {}

  get current(): Session | null {
    return this.session;
  }

  async signIn(username: string, password: string): Promise<Session> {
    const pair = answer(await this.client.POST('/v1/auth/token', { body: { username, password } }));
    this.session = {
      username,
      role: roleOf(pair.accessToken),
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken,
    };
    return this.session;
  }

  /** Ends the session here at once, then at the service (with the ending token: no refresh, no retry). */
  async signOut(): Promise<void> {
    const ending = this.session;
    if (!ending) return;
    this.session = null;
    const authorization = `Bearer ${ending.accessToken}`;
    await this.client.POST('/v1/auth/logout', { headers: { authorization } }).catch(() => undefined);
  }

  private async send(request: Request): Promise<Response> {
    const retry = request.clone();
    const response = await this.asUser(request);
    if (response.status !== 401 || !this.session) return response;
    if (await this.refresh()) return this.asUser(retry);
    this.session = null;
    this.onSessionEnded();
    return response;
  }

  private async asUser(request: Request): Promise<Response> {
    if (this.session) request.headers.set('authorization', `Bearer ${this.session.accessToken}`);
    try {
      return await fetch(request);
    } catch {
      throw new ApiError(0, 'The service cannot be reached. Check the connection and try again.');
    }
  }

  private async refresh(): Promise<boolean> {
    const refreshToken = this.session?.refreshToken;
    if (!refreshToken || !this.session) return false;
    const response = await fetch('/v1/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
    }).catch(() => null);
    if (!response?.ok) return false;
    const pair = (await response.json()) as ApiSchemas['TokenResponse'];
    this.session = { ...this.session, accessToken: pair.accessToken, refreshToken: pair.refreshToken };
    return true;
  }
}
