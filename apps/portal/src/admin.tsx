import { FormEvent, useCallback, useEffect, useState } from 'react';
import type { ApiSchemas } from '@poc/api-client';
import { Api, answer, asText, messageOf, type Role } from './api';
import { DataTable } from './data-table';

type Provider = ApiSchemas['ProviderResponse'];
type Office = ApiSchemas['ServiceOfficeResponse'];
const STAFF_ROLES = ['provider', 'support', 'field_service', 'privacy_officer', 'admin'];

const fields = (event: FormEvent<HTMLFormElement>) =>
  Object.fromEntries(new FormData(event.currentTarget).entries()) as Record<string, string>;

/** Administration: providers, staff accounts, device registration, service offices and their import. */
export function Admin({ api }: { api: Api }) {
  const [providers, setProviders] = useState<Provider[]>([]);
  const [offices, setOffices] = useState<Office[]>([]);
  const [status, setStatus] = useState<string | null>(null);
  const [role, setRole] = useState('support');

  const load = useCallback(async () => {
    try {
      const [p, o] = await Promise.all([
        api.client.GET('/v1/admin/providers').then(answer),
        api.client.GET('/v1/admin/service-offices', { params: { query: { limit: 500 } } }).then(answer),
      ]);
      setProviders(p.items);
      setOffices(o.items);
    } catch (e) {
      setStatus(messageOf(e));
    }
  }, [api]);
  useEffect(() => void load(), [load]);

  /** Runs a form's action and reports the outcome in words. */
  const act =
    (action: (values: Record<string, string>) => Promise<string>) => async (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      const form = event.currentTarget;
      try {
        setStatus(await action(fields(event)));
        form.reset();
        await load();
      } catch (e) {
        setStatus(messageOf(e));
      }
    };

  const importOffices = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const file = (event.currentTarget.elements.namedItem('offices-file') as HTMLInputElement).files?.[0];
    if (!file) return;
    try {
      const csv = file.name.toLowerCase().endsWith('.csv');
      const result = answer(
        await api.client.POST('/v1/admin/service-offices/import', {
          body: await file.text(),
          ...asText(csv ? 'text/csv' : 'application/json'),
        }),
      );
      setStatus(`Imported ${result.imported} service offices from ${file.name}.`);
      await load();
    } catch (e) {
      setStatus(`Nothing was imported from ${file.name}. ${messageOf(e)}`);
    }
  };

  return (
    <section aria-labelledby="admin-heading">
      <h2 id="admin-heading">Administration</h2>
      <p role="status" aria-live="polite" className={status ? 'note' : undefined}>
        {status ?? ''}
      </p>
      <div className="columns">
        <form
          className="stacked"
          aria-labelledby="provider-form"
          onSubmit={act(async (v) => {
            const p = answer(await api.client.POST('/v1/admin/providers', { body: { name: v.name } }));
            return `Provider ${p.name} added.`;
          })}
        >
          <h3 id="provider-form">Add a home-care provider</h3>
          <label htmlFor="provider-name">Name</label>
          <input id="provider-name" name="name" required maxLength={200} />
          <button type="submit">Add provider</button>
        </form>

        <form
          className="stacked"
          aria-labelledby="user-form"
          onSubmit={act(async (v) => {
            const u = answer(
              await api.client.POST('/v1/admin/users', {
                body: {
                  username: v.username,
                  password: v.password,
                  role: v.role as Role,
                  ...(v.role === 'provider' ? { providerId: v.providerId } : {}),
                },
              }),
            );
            return `Account ${u.username} (${u.role}) created.`;
          })}
        >
          <h3 id="user-form">Add a staff account</h3>
          <label htmlFor="user-name">Username</label>
          <input id="user-name" name="username" required maxLength={64} />
          <label htmlFor="user-password">Password (10 characters or more)</label>
          <input id="user-password" name="password" type="password" required minLength={10} maxLength={128} />
          <label htmlFor="user-role">Role</label>
          <select id="user-role" name="role" value={role} onChange={(e) => setRole(e.target.value)}>
            {STAFF_ROLES.map((r) => (
              <option key={r} value={r}>
                {r.replace('_', ' ')}
              </option>
            ))}
          </select>
          {role === 'provider' && (
            <>
              <label htmlFor="user-provider">Provider</label>
              <select id="user-provider" name="providerId" required>
                {providers.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </>
          )}
          <button type="submit">Create account</button>
        </form>

        <form
          className="stacked"
          aria-labelledby="device-form"
          onSubmit={act(async (v) => {
            const d = answer(
              await api.client.POST('/v1/admin/devices', {
                body: { serialNumber: v.serialNumber, model: v.model, suppliedBy: v.suppliedBy || null },
              }),
            );
            return `Device ${d.serialNumber} registered; its registration code is ${d.registrationCode}.`;
          })}
        >
          <h3 id="device-form">Register a device</h3>
          <label htmlFor="device-serial-new">Serial number</label>
          <input id="device-serial-new" name="serialNumber" required maxLength={64} />
          <label htmlFor="device-model">Model</label>
          <input id="device-model" name="model" required maxLength={100} />
          <label htmlFor="device-supplier">Supplied by</label>
          <select id="device-supplier" name="suppliedBy" defaultValue="">
            <option value="">No provider</option>
            {providers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <button type="submit">Register device</button>
        </form>
      </div>

      <h3>Service offices</h3>
      <form className="search" onSubmit={importOffices}>
        <label htmlFor="offices-file">Import a GeoJSON or CSV file</label>
        <input id="offices-file" name="offices-file" type="file" accept=".json,.geojson,.csv" required />
        <button type="submit">Import</button>
      </form>
      {offices.length === 0 ? (
        <p>No service offices yet.</p>
      ) : (
        <DataTable
          caption={`${offices.length} service offices`}
          rows={offices}
          rowKey={(o) => o.id}
          columns={[
            { heading: 'Name', cell: (o) => o.name },
            { heading: 'Kind', cell: (o) => o.kind.replace('_', ' ') },
            { heading: 'Location', cell: (o) => `${o.location.lat.toFixed(4)}, ${o.location.lon.toFixed(4)}` },
          ]}
        />
      )}
      <h3>Providers</h3>
      <ul>
        {providers.map((p) => (
          <li key={p.id}>{p.name}</li>
        ))}
      </ul>
    </section>
  );
}
