import { Api } from '../support/api';
import { asAdmin, aUser, PASSWORD, signIn } from '../support/builders';
import { aLinkedDevice } from '../support/device-link';
import { startTestApp, TestApp } from '../support/test-app';

/** Attacks on sign-in, registration and sessions, each ending refused with nothing disclosed. */
describe('an attacker at the front door', () => {
  let app: TestApp;
  let admin: string;
  const register = (username: string) => app.api.post('/v1/auth/register', registration(username));
  const registration = (username: string) => ({
    username,
    password: PASSWORD,
    email: `${username}@example.org`,
    birthDate: '1955-05-05',
  });

  beforeAll(async () => {
    app = await startTestApp({ REGISTRATIONS_PER_ADDRESS: '6' });
    admin = await asAdmin(app.api);
  });
  afterAll(() => app.close());

  it('fires 50 guesses at once and has at most 5 checked: the lockout is counted before the check', async () => {
    const victim = await aUser(app.api, admin, 'support');
    const guesses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        app.api.post('/v1/auth/token', { username: victim.username, password: `guess-number-${i}` }),
      ),
    );
    const checked = guesses.filter((g) => g.status === 401).length;
    const refused = guesses.filter((g) => g.status === 429).length;
    expect(checked).toBe(5);
    expect(refused).toBe(45);
    // Locked: even the right password is refused now, and nothing was learnt of the username.
    expect((await app.api.post('/v1/auth/token', { username: victim.username, password: PASSWORD })).status).toBe(429);
    // The table holds neither the typed usernames nor the address.
    const keys = await app.sql<{ key_hash: string }>('SELECT key_hash FROM attempt_counts');
    expect(JSON.stringify(keys)).not.toContain(victim.username);
    expect(JSON.stringify(keys)).not.toContain('127.0.0.1');
  });

  it('guesses spread over many usernames from one address are stopped there; a busy clinic is not', async () => {
    // From an address of its own, so that the guesses of the other tests do not count here.
    const clinic = new Api(app.api.baseUrl, undefined, '127.0.0.3');
    // A clinic: thirty staff behind one address sign in at once, rightly. None is refused.
    const staff = await Promise.all(Array.from({ length: 30 }, () => aUser(app.api, admin, 'support')));
    const signedIn = await Promise.all(
      staff.map((u) => clinic.post('/v1/auth/token', { username: u.username, password: PASSWORD })),
    );
    expect(signedIn.map((r) => r.status)).toEqual(Array(30).fill(200));
    // A spray: one guess at each of 40 usernames at once. The address's limit (20 failures) holds, but for
    // the two hashes running when it was reached.
    const sprayed = await Promise.all(
      staff
        .concat(staff.slice(0, 10))
        .map((u, i) => clinic.post('/v1/auth/token', { username: u.username, password: `spray-guess-${i}` })),
    );
    const checked = sprayed.filter((r) => r.status === 401).length;
    expect(checked).toBeGreaterThanOrEqual(20);
    expect(checked).toBeLessThanOrEqual(21);
    expect(sprayed.filter((r) => r.status === 429)).toHaveLength(40 - checked);
  });

  it('a token alone, minted from a sign-in over 5 minutes old, cannot take the export or ask for erasure', async () => {
    const patient = await aLinkedDevice(app.api, admin).then((link) => link.patient);
    const pair = await app.api.post('/v1/auth/token', { username: patient.username, password: PASSWORD });
    const sessionId = JSON.parse(Buffer.from(pair.body.accessToken.split('.')[1], 'base64url').toString()).sid;
    // The sign-in happened six minutes ago; the token in hand is fresh, from a refresh.
    await app.sql(`UPDATE auth_sessions SET created_at = now() - interval '6 minutes' WHERE id = $1`, [sessionId]);
    const refreshed = await app.api.post('/v1/auth/refresh', { refreshToken: pair.body.refreshToken });
    const token = refreshed.body.accessToken;
    const exported = await app.api.get('/v1/me/export', token);
    expect(exported.status).toBe(401);
    expect(exported.body).toMatchObject({ error: 'step_up_required' });
    const erasure = await app.api.post('/v1/me/privacy-requests', { type: 'erasure' }, token);
    expect(erasure.status).toBe(401);
    expect(erasure.body).toMatchObject({ error: 'step_up_required' });
    expect(
      await app.sql("SELECT 1 FROM privacy_requests WHERE patient_id = $1 AND type = 'erasure'", [patient.id]),
    ).toEqual([]);
    // Everything else still works with that token; a fresh password sign-in opens both.
    expect((await app.api.get('/v1/me/consents', token)).status).toBe(200);
    const fresh = await signIn(app.api, patient.username);
    expect((await app.api.get('/v1/me/export', fresh)).status).toBe(200);
    expect((await app.api.post('/v1/me/privacy-requests', { type: 'erasure' }, fresh)).status).toBe(201);
  });

  it('cannot tell a taken username from a free one by registering it, and takes nothing over', async () => {
    const taken = await aUser(app.api, admin, 'support');
    const fresh = `fresh-${Date.now()}`;
    const [onTaken, onFresh] = await Promise.all([register(taken.username), register(fresh)]);
    expect(onTaken.status).toBe(onFresh.status);
    expect(Object.keys(onTaken.body).sort()).toEqual(Object.keys(onFresh.body).sort());
    expect(onTaken.body).toMatchObject({ username: taken.username, role: 'patient', providerId: null });
    // Nothing was created or changed for the taken name: it is still the support account, with its password.
    const rows = await app.sql<{ id: string; role: string }>('SELECT id, role FROM users WHERE username = $1', [
      taken.username,
    ]);
    expect(rows).toEqual([{ id: taken.id, role: 'support' }]);
    expect(onTaken.body.id).not.toBe(taken.id);
    await expect(signIn(app.api, taken.username)).resolves.toEqual(expect.any(String));
  });

  it('cannot register without limit from one address (each registration costs a memory-hard hash)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await register(`flood-${i}-${Date.now()}`)).status);
    // Six per address in this app's window, counting those the tests before made: once refused, always.
    const admitted = statuses.indexOf(429);
    expect(admitted).toBeGreaterThanOrEqual(0);
    expect(admitted).toBeLessThanOrEqual(6);
    expect(statuses).toEqual([...Array(admitted).fill(201), ...Array(8 - admitted).fill(429)]);
  });

  it("cannot end someone else's session with a wrong refresh secret for its id", async () => {
    const victim = await aUser(app.api, admin, 'field_service');
    const pair = await app.api.post('/v1/auth/token', { username: victim.username, password: PASSWORD });
    // The session id is in every access token; the attacker pairs it with a made-up secret.
    const sessionId = JSON.parse(Buffer.from(pair.body.accessToken.split('.')[1], 'base64url').toString()).sid;
    const forged = await app.api.post('/v1/auth/refresh', { refreshToken: `${sessionId}.made-up-secret` });
    expect(forged.status).toBe(401);
    expect((await app.api.get('/v1/internal/alerts', pair.body.accessToken)).status).toBe(200);
    expect((await app.api.post('/v1/auth/refresh', { refreshToken: pair.body.refreshToken })).status).toBe(200);
  });

  it('a refresh token replayed after it was used ends the session (it leaked)', async () => {
    const user = await aUser(app.api, admin, 'field_service');
    const first = await app.api.post('/v1/auth/token', { username: user.username, password: PASSWORD });
    const second = await app.api.post('/v1/auth/refresh', { refreshToken: first.body.refreshToken });
    expect(second.status).toBe(200);
    expect((await app.api.post('/v1/auth/refresh', { refreshToken: first.body.refreshToken })).status).toBe(401);
    expect((await app.api.get('/v1/internal/alerts', second.body.accessToken)).status).toBe(401);
  });

  it('the retention job forgets spent attempt counts', async () => {
    await app.sql(`UPDATE attempt_counts SET window_start = now() - interval '1 hour', locked_until = NULL`);
    const run = await app.api.post('/v1/admin/retention/run', {}, admin);
    expect(run.status).toBe(200);
    expect(run.body.attempt_counts.deletedRows).toBeGreaterThan(0);
    expect(await app.sql('SELECT 1 FROM attempt_counts WHERE window_start < now() - interval $$15 minutes$$')).toEqual(
      [],
    );
  });
});
