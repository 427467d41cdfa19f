import { createHash } from 'node:crypto';
import { aPatient, aProvider, asAdmin, aUser, PASSWORD, signIn } from '../support/builders';
import { ADMIN, startTestApp, TestApp, useTestApp } from '../support/test-app';

describe('auth', () => {
  let app: TestApp;
  useTestApp((started) => ({ app } = started));

  it('issues a signed bearer token and a refresh token for valid credentials', async () => {
    const response = await app.api.post('/v1/auth/token', ADMIN);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      tokenType: 'Bearer',
      expiresIn: 900,
      refreshToken: expect.any(String),
    });
  });

  it('refuses a wrong password and an unknown user alike with 401', async () => {
    const wrong = await app.api.post('/v1/auth/token', { username: ADMIN.username, password: 'not-the-password' });
    const unknown = await app.api.post('/v1/auth/token', { username: 'nobody-here', password: 'whatever-pass' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.message).toEqual(unknown.body.message);
  });

  it('rejects unknown and missing fields with 400 naming the field', async () => {
    const unknown = await app.api.post('/v1/auth/token', { ...ADMIN, remember: true });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body.message)).toContain('remember');
    const missing = await app.api.post('/v1/auth/token', { username: 'admin' });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body.message)).toContain('password');
    const notJson = await app.api.request('POST', '/v1/auth/token', { rawBody: '{"username":' });
    expect(notJson.status).toBe(400);
  });

  it('answers 401 without a token or with a bad one, and 403 for a role that may not call', async () => {
    expect((await app.api.get('/v1/admin/providers')).status).toBe(401);
    expect((await app.api.get('/v1/admin/providers', 'not.a.token')).status).toBe(401);
    const patient = await aPatient(app.api);
    expect((await app.api.get('/v1/admin/providers', patient.token)).status).toBe(403);
  });

  it('rotates refresh tokens: a new pair works, the old refresh token does not', async () => {
    const first = (await app.api.post('/v1/auth/token', ADMIN)).body;
    const refreshed = await app.api.post('/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(refreshed.status).toBe(200);
    expect((await app.api.get('/v1/admin/providers', refreshed.body.accessToken)).status).toBe(200);
    const replay = await app.api.post('/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(replay.status).toBe(401);
    // A replayed refresh token means it leaked: the whole session ends.
    expect((await app.api.get('/v1/admin/providers', refreshed.body.accessToken)).status).toBe(401);
  });

  it('logout revokes the access and refresh tokens at once', async () => {
    const pair = (await app.api.post('/v1/auth/token', ADMIN)).body;
    expect((await app.api.get('/v1/admin/providers', pair.accessToken)).status).toBe(200);
    expect((await app.api.post('/v1/auth/logout', {}, pair.accessToken)).status).toBe(204);
    expect((await app.api.get('/v1/admin/providers', pair.accessToken)).status).toBe(401);
    expect((await app.api.post('/v1/auth/refresh', { refreshToken: pair.refreshToken })).status).toBe(401);
  });

  it('a password change ends every session of the account at once, this one included', async () => {
    const user = await aUser(app.api, await asAdmin(app.api), 'support');
    const other = (await app.api.post('/v1/auth/token', { username: user.username, password: PASSWORD })).body;
    const change = (currentPassword: string, token: string) =>
      app.api.post('/v1/auth/password', { currentPassword, newPassword: 'a-brand-new-password' }, token);
    expect((await change('not-the-password', user.token)).status).toBe(403);
    expect((await app.api.get('/v1/internal/alerts', user.token)).status).toBe(200);

    expect((await change(PASSWORD, user.token)).status).toBe(204);
    expect((await app.api.get('/v1/internal/alerts', user.token)).status).toBe(401);
    expect((await app.api.get('/v1/internal/alerts', other.accessToken)).status).toBe(401);
    expect((await app.api.post('/v1/auth/refresh', { refreshToken: other.refreshToken })).status).toBe(401);
    expect((await app.api.post('/v1/auth/token', { username: user.username, password: PASSWORD })).status).toBe(401);
    await signIn(app.api, user.username, 'a-brand-new-password');
  });

  it('a session ended elsewhere (another instance, or SQL) is refused within moments, not after its cache life', async () => {
    const shared = { DATABASE_URL: app.databaseUrl, JWT_SECRET: 's'.repeat(40) };
    const [a, b] = [await startTestApp(shared), await startTestApp(shared)];
    const sessionOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sid;
    const statusAtB = async (token: string) => (await b.api.get('/v1/admin/providers', token)).status;
    // Sessions are known active for 5 s at most: refused well within that, the notice did it.
    const refusedAtBWithin1s = async (token: string) => {
      for (let waited = 0; waited < 1000; waited += 20) {
        if ((await statusAtB(token)) === 401) return true;
        await new Promise((r) => setTimeout(r, 20));
      }
      return false;
    };
    const listeners = async () =>
      (
        await app.sql<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE query LIKE 'LISTEN %' AND datname = current_database()`,
        )
      ).map((r) => r.pid);
    try {
      const signedOut = await asAdmin(a.api);
      expect(await statusAtB(signedOut)).toBe(200);
      expect((await a.api.post('/v1/auth/logout', {}, signedOut)).status).toBe(204);
      expect(await refusedAtBWithin1s(signedOut)).toBe(true);

      const revokedBySql = await asAdmin(b.api);
      expect(await statusAtB(revokedBySql)).toBe(200);
      await app.sql('UPDATE auth_sessions SET revoked_at = now() WHERE id = $1', [sessionOf(revokedBySql)]);
      expect(await refusedAtBWithin1s(revokedBySql)).toBe(true);

      // With its listening connection lost, an instance forgets what it knew and asks the database again.
      const unheard = await asAdmin(b.api);
      expect(await statusAtB(unheard)).toBe(200);
      const listening = await listeners(); // one per instance on this database: the suite's app, a and b
      expect(listening).toHaveLength(3);
      await app.sql('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) pid', [listening]);
      while ((await listeners()).length > 0) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 50));
      await app.sql('UPDATE auth_sessions SET revoked_at = now() WHERE id = $1', [sessionOf(unheard)]);
      expect(await statusAtB(unheard)).toBe(401);
      // ...and listens again.
      for (let waited = 0; (await listeners()).length < 3 && waited < 5000; waited += 100) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await listeners()).toHaveLength(3);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('signing keys rotate by key id: old tokens verify while their key is kept, then stop', async () => {
    const [oldKey, newKey] = ['k'.repeat(40), 'n'.repeat(40)];
    const kidOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).kid;
    const withKeys = (env: Record<string, string>) => startTestApp({ DATABASE_URL: app.databaseUrl, ...env });
    const before = await withKeys({ JWT_SECRET: oldKey });
    const oldToken = await asAdmin(before.api);
    await before.close();

    const rotated = await withKeys({ JWT_SECRET: newKey, JWT_PREVIOUS_SECRETS: oldKey });
    const newToken = await asAdmin(rotated.api);
    try {
      expect(kidOf(oldToken)).toEqual(expect.any(String));
      expect(kidOf(newToken)).not.toBe(kidOf(oldToken));
      expect((await rotated.api.get('/v1/admin/providers', oldToken)).status).toBe(200);
      expect((await rotated.api.get('/v1/admin/providers', newToken)).status).toBe(200);
      // A token claiming the new key's id but signed with the old key is refused.
      const [, payload, signature] = oldToken.split('.');
      const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: kidOf(newToken) })).toString(
        'base64url',
      );
      expect((await rotated.api.get('/v1/admin/providers', `${header}.${payload}.${signature}`)).status).toBe(401);
    } finally {
      await rotated.close();
    }

    const after = await withKeys({ JWT_SECRET: newKey });
    try {
      expect((await after.api.get('/v1/admin/providers', oldToken)).status).toBe(401);
      expect((await after.api.get('/v1/admin/providers', newToken)).status).toBe(200);
    } finally {
      await after.close();
    }
  });

  describe('patient registration', () => {
    const registration = (over: Record<string, unknown> = {}) => ({
      username: `pat-${Math.random().toString(36).slice(2, 10)}`,
      password: PASSWORD,
      email: 'someone@example.org',
      birthDate: '1960-01-01',
      ...over,
    });

    it('registers a patient who can then sign in', async () => {
      const body = registration();
      const response = await app.api.post('/v1/auth/register', body);
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        username: body.username,
        role: 'patient',
        providerId: null,
      });
      await expect(signIn(app.api, body.username)).resolves.toEqual(expect.any(String));
    });

    it('refuses anyone under 16 and stores nothing of them', async () => {
      const today = new Date();
      const fifteen = `${today.getUTCFullYear() - 15}-01-01`;
      const body = registration({ birthDate: fifteen, email: 'child-applicant@example.org' });
      const response = await app.api.post('/v1/auth/register', body);
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).toContain('birthDate');
      expect(
        await app.sql('SELECT 1 FROM users WHERE username = $1 OR email = $2', [body.username, body.email]),
      ).toEqual([]);
    });

    it('stores the password only as a memory-hard hash', async () => {
      const body = registration();
      await app.api.post('/v1/auth/register', body);
      const [row] = await app.sql<{ password_hash: string }>('SELECT password_hash FROM users WHERE username = $1', [
        body.username,
      ]);
      expect(row.password_hash).toMatch(/^scrypt\$/);
      expect(row.password_hash).not.toContain(PASSWORD);
    });

    it('refuses bad fields with 400', async () => {
      for (const [field, value] of [
        ['email', 'not-an-email'],
        ['birthDate', '01/02/1960'],
        ['password', 'short'],
        ['username', 'Has Spaces'],
      ]) {
        const response = await app.api.post('/v1/auth/register', registration({ [field]: value }));
        expect(response.status).toBe(400);
        expect(JSON.stringify(response.body.message)).toContain(field);
      }
      expect((await app.api.post('/v1/auth/register', registration({ role: 'admin' }))).status).toBe(400);
    });
  });

  it('a provider user is bound to its provider in the token', async () => {
    const admin = await asAdmin(app.api);
    const provider = await aProvider(app.api, admin);
    const user = await aUser(app.api, admin, 'provider', provider.id);
    const claims = JSON.parse(Buffer.from(user.token.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ sub: user.id, role: 'provider', pid: provider.id });
  });

  it('a burst of wrong passwords gets 429 with Retry-After and locks the account out, even for the right password', async () => {
    const admin = await asAdmin(app.api);
    const victim = await aUser(app.api, admin, 'support');
    const attempt = (password: string) => app.api.post('/v1/auth/token', { username: victim.username, password });
    for (let i = 0; i < 5; i++) expect((await attempt('wrong-guess-123')).status).toBe(401);
    const locked = await attempt(PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(locked.body).toMatchObject({ error: 'too_many' });
    // Another account from the same address is not locked by this one.
    const other = await aUser(app.api, admin, 'support');
    expect((await app.api.post('/v1/auth/token', { username: other.username, password: PASSWORD })).status).toBe(200);
    // The lockout ends when its time is up.
    await app.sql(
      `UPDATE attempt_counts SET locked_until = now() - interval '1 second', window_start = now() - interval '16 minutes'
        WHERE key_hash = $1`,
      [createHash('sha256').update(`sign-in:user:${victim.username}`).digest('base64url')],
    );
    expect((await attempt(PASSWORD)).status).toBe(200);
  });
});
