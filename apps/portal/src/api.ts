// The portals' only way to the service: its public HTTP API, with the caller's token kept in memory
// (never in localStorage, where any script on the page could read it).

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
  const detail = (body as { message?: unknown } | null)?.message;
  const text = Array.isArray(detail) ? detail.join('; ') : typeof detail === 'string' ? detail : '';
  const general = WORDS[status] ?? (status >= 500 ? 'The service had a problem. Please try again.' : 'Request refused');
  return status === 400 && text ? `${general}: ${text}` : general;
}

/** What to tell the user about a failed call. */
export const messageOf = (error: unknown): string =>
  error instanceof ApiError ? error.message : 'Something went wrong. Please try again.';

/** A body sent as it is (a file's text), not as JSON. */
class RawBody {
  constructor(
    readonly text: string,
    readonly contentType: string,
  ) {}
}

const roleOf = (accessToken: string): Role =>
  JSON.parse(atob(accessToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).role as Role;

export class Api {
  private session: Session | null = null;

  constructor(private readonly onSessionEnded: () => void) {}

  get current(): Session | null {
    return this.session;
  }

  async signIn(username: string, password: string): Promise<Session> {
    const pair = await this.send<{ accessToken: string; refreshToken?: string }>('POST', '/v1/auth/token', {
      username,
      password,
    });
    this.session = {
      username,
      role: roleOf(pair.accessToken),
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken ?? null,
    };
    return this.session;
  }

  async signOut(): Promise<void> {
    const ending = this.session;
    this.session = null;
    if (ending) await this.send('POST', '/v1/auth/logout', undefined, ending.accessToken).catch(() => undefined);
  }

  /** A request as the signed-in user; an expired access token is refreshed once, then the session ends. */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.asUser((token) => this.send<T>(method, path, body, token));
  }

  /** A file's text as the body (service-office imports: GeoJSON or CSV). */
  async upload<T>(path: string, text: string, contentType: string): Promise<T> {
    return this.asUser((token) => this.send<T>('POST', path, new RawBody(text, contentType), token));
  }

  private async asUser<T>(request: (token: string) => Promise<T>): Promise<T> {
    if (!this.session) throw new ApiError(401, WORDS[401]);
    try {
      return await request(this.session.accessToken);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      if ((await this.refresh()) && this.session) return request(this.session.accessToken);
      this.session = null;
      this.onSessionEnded();
      throw error;
    }
  }

  private async refresh(): Promise<boolean> {
    const refreshToken = this.session?.refreshToken;
    if (!refreshToken || !this.session) return false;
    try {
      const pair = await this.send<{ accessToken: string; refreshToken: string }>('POST', '/v1/auth/refresh', {
        refreshToken,
      });
      this.session = { ...this.session, accessToken: pair.accessToken, refreshToken: pair.refreshToken };
      return true;
    } catch {
      return false;
    }
  }

  private async send<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = body instanceof RawBody ? body.contentType : 'application/json';
    const payload = body instanceof RawBody ? body.text : body === undefined ? undefined : JSON.stringify(body);
    let response: Response;
    try {
      response = await fetch(path, { method, headers, body: payload });
    } catch {
      throw new ApiError(0, 'The service cannot be reached. Check the connection and try again.');
    }
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) throw new ApiError(response.status, explain(response.status, parsed));
    return parsed as T;
  }
}
