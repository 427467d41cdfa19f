import { FormEvent, StrictMode, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Api, ApiError, Role, Session } from './api';
import { DeviceLookup } from './device-lookup';
import { ProviderPortal } from './provider-portal';
import './portal.css';

const PORTAL_OF: Partial<Record<Role, string>> = {
  provider: 'Provider portal',
  support: 'Service portal — support',
  field_service: 'Service portal — field service',
  privacy_officer: 'Service portal — privacy office',
  admin: 'Service portal — administration',
};

function SignIn({ api, onSignedIn }: { api: Api; onSignedIn: (session: Session) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await api.signIn(username, password);
      if (!PORTAL_OF[session.role]) {
        await api.signOut();
        setError('These portals are for home-care providers and service staff. Patients use the mobile app.');
        return;
      }
      onSignedIn(session);
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 401
          ? 'Wrong username or password.'
          : e instanceof Error
            ? e.message
            : 'Something went wrong.',
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="sign-in">
      <h1>POC portals</h1>
      <form onSubmit={submit} aria-describedby={error ? 'sign-in-error' : undefined}>
        <label htmlFor="username">Username</label>
        <input
          id="username"
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
        />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error && (
          <p id="sign-in-error" role="alert" className="error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}

function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const api = useMemo(
    () =>
      new Api(() => {
        setSession(null);
        setNotice('Your session has ended. Please sign in again.');
      }),
    [],
  );
  if (!session) {
    return (
      <>
        {notice && (
          <p role="status" className="note">
            {notice}
          </p>
        )}
        <SignIn
          api={api}
          onSignedIn={(s) => {
            setNotice(null);
            setSession(s);
          }}
        />
      </>
    );
  }
  return (
    <>
      <header>
        <h1>{PORTAL_OF[session.role]}</h1>
        <span>
          Signed in as <strong>{session.username}</strong>
        </span>
        <button type="button" onClick={() => void api.signOut().then(() => setSession(null))}>
          Sign out
        </button>
      </header>
      <main>{session.role === 'provider' ? <ProviderPortal api={api} /> : <DeviceLookup api={api} />}</main>
    </>
  );
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
