import { FormEvent, JSX, StrictMode, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Api, ApiError, Role, Session } from './api';
import { Admin } from './admin';
import { AlarmInbox } from './alarm-inbox';
import { DeviceLookup } from './device-lookup';
import { FieldService } from './field-service';
import { PrivacyOffice } from './privacy-office';
import { ProviderNotices } from './provider-notices';
import { ProviderPortal } from './provider-portal';
import { MapSettingsContext, mapSettingsOfPage } from './map-settings';
import './portal.css';

const PORTAL_OF: Partial<Record<Role, string>> = {
  provider: 'Provider portal',
  support: 'Service portal — support',
  field_service: 'Service portal — field service',
  privacy_officer: 'Service portal — privacy office',
  admin: 'Service portal — administration',
};

type Section = { name: string; render: (api: Api) => JSX.Element };
const LOOKUP: Section = { name: 'Find a device', render: (api) => <DeviceLookup api={api} /> };
/** The sections each role may use, in the order shown; a role sees nothing else. */
const SECTIONS: Partial<Record<Role, Section[]>> = {
  provider: [
    { name: 'Devices', render: (api) => <ProviderPortal api={api} /> },
    { name: 'Alarms', render: (api) => <AlarmInbox api={api} scope="provider" /> },
    { name: 'Notices', render: (api) => <ProviderNotices api={api} /> },
  ],
  support: [
    { name: 'Devices', render: (api) => <DeviceLookup api={api} withHistory mayStateReason /> },
    { name: 'Alarms', render: (api) => <AlarmInbox api={api} scope="internal" /> },
  ],
  field_service: [{ name: 'Lost and stolen', render: (api) => <FieldService api={api} /> }, LOOKUP],
  privacy_officer: [{ name: 'Privacy office', render: (api) => <PrivacyOffice api={api} /> }, LOOKUP],
  admin: [
    { name: 'Administration', render: (api) => <Admin api={api} /> },
    { name: 'Find a device', render: (api) => <DeviceLookup api={api} mayStateReason /> },
  ],
};

function Sections({ api, sections }: { api: Api; sections: Section[] }) {
  const [current, setCurrent] = useState(0);
  return (
    <>
      {sections.length > 1 && (
        <nav className="sections" aria-label="Sections">
          {sections.map((section, i) => (
            <button
              key={section.name}
              type="button"
              aria-current={i === current ? 'page' : undefined}
              onClick={() => setCurrent(i)}
            >
              {section.name}
            </button>
          ))}
        </nav>
      )}
      <main>{sections[current].render(api)}</main>
    </>
  );
}

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
      if (!SECTIONS[session.role]) {
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
      <Sections api={api} sections={SECTIONS[session.role] ?? []} />
    </>
  );
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <MapSettingsContext.Provider value={mapSettingsOfPage()}>
      <App />
    </MapSettingsContext.Provider>
  </StrictMode>,
);
