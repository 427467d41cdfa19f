import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ApiSchemas } from '@poc/api-client';
import { PROVIDER_DEVICE_FIELDS, type ProviderDeviceField } from '@poc/provider-view';
import { Api, answer, messageOf } from './api';
import { SerialSearch } from './serial-search';
import { WorldMap } from './world-map';

type ProviderDevice = ApiSchemas['ProviderDeviceResponse'];

const HEADINGS: Record<ProviderDeviceField, string> = {
  serialNumber: 'Serial number',
  model: 'Model',
  lastConnectedAt: 'Last connected',
  errorCode: 'Error code',
  lastLocation: 'Last location',
};
const PAGE_SIZE = 25;

const withheld = (device: ProviderDevice) =>
  device.lastConnectedAt === null && device.errorCode === null && device.lastLocation === null;

function cell(device: ProviderDevice, field: ProviderDeviceField): string {
  const value = device[field];
  if (value === null) return '—';
  if (field === 'lastConnectedAt') return new Date(value as string).toLocaleString();
  if (field === 'lastLocation') {
    const { lat, lon } = value as { lat: number; lon: number };
    return `${lat.toFixed(4)}, ${lon.toFixed(4)}`;
  }
  return String(value);
}

function sortKey(device: ProviderDevice, field: ProviderDeviceField): string {
  const value = device[field];
  if (value === null) return '';
  return field === 'lastLocation' ? JSON.stringify(value) : String(value);
}

// What is known, no more: the view cannot tell a device that never reported from one whose patient does not
// share it (sharing off, the current privacy policy not yet accepted, processing restricted).
const WITHHELD_NOTE =
  'Last connected, error code and location are not shown: the device has not reported yet, or its patient ' +
  'does not share it with providers at present.';

/** The provider portal: the devices the provider supplied, exactly the five fields the API gives. */
export function ProviderPortal({ api }: { api: Api }) {
  const [pages, setPages] = useState<Array<string | null>>([null]); // cursors of the pages seen
  const [page, setPage] = useState(0);
  const [devices, setDevices] = useState<ProviderDevice[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [sort, setSort] = useState<{ field: ProviderDeviceField; ascending: boolean }>({
    field: 'serialNumber',
    ascending: true,
  });
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<ProviderDevice | null>(null);

  const load = useCallback(
    async (cursor: string | null) => {
      setDevices(null);
      setError(null);
      try {
        const query = { limit: PAGE_SIZE, cursor: cursor || undefined };
        const result = answer(await api.client.GET('/v1/provider/devices', { params: { query } }));
        setDevices(result.items);
        setNextCursor(result.nextCursor);
      } catch (e) {
        setError(messageOf(e));
        setDevices([]);
      }
    },
    [api],
  );

  useEffect(() => void load(pages[page]), [load, pages, page]);

  const sorted = useMemo(() => {
    const rows = [...(devices ?? [])];
    rows.sort((a, b) => sortKey(a, sort.field).localeCompare(sortKey(b, sort.field)) * (sort.ascending ? 1 : -1));
    return rows;
  }, [devices, sort]);

  if (selected) {
    return (
      <section aria-labelledby="device-heading">
        <h2 id="device-heading">Device {selected.serialNumber}</h2>
        <dl className="record">
          {PROVIDER_DEVICE_FIELDS.map((field) => (
            <div key={field}>
              <dt>{HEADINGS[field]}</dt>
              <dd>{cell(selected, field)}</dd>
            </div>
          ))}
        </dl>
        {withheld(selected) && <p className="note">{WITHHELD_NOTE}</p>}
        {selected.lastLocation && (
          <WorldMap
            title={`Last location of ${selected.serialNumber}`}
            points={[{ id: selected.serialNumber, label: selected.serialNumber, ...selected.lastLocation }]}
          />
        )}
        <button type="button" onClick={() => setSelected(null)}>
          Back to the device list
        </button>
      </section>
    );
  }

  return (
    <section aria-labelledby="devices-heading">
      <h2 id="devices-heading">Devices you supplied</h2>
      <SerialSearch
        id="serial-search"
        label="Find by serial number"
        find={async (serial) =>
          setSelected(
            answer(
              await api.client.GET('/v1/provider/devices/{serialNumber}', {
                params: { path: { serialNumber: serial } },
              }),
            ),
          )
        }
        notFound={(serial) => `No device with serial number ${serial} among the devices you supplied.`}
      />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {devices === null ? (
        <p aria-busy="true">Loading devices…</p>
      ) : devices.length === 0 && !error ? (
        <p>No devices yet: the devices you supply appear here once they are registered.</p>
      ) : (
        <>
          <table>
            <caption>
              Page {page + 1} — sorted by {HEADINGS[sort.field].toLowerCase()}
            </caption>
            <thead>
              <tr>
                {PROVIDER_DEVICE_FIELDS.map((field) => (
                  <th
                    key={field}
                    scope="col"
                    aria-sort={sort.field === field ? (sort.ascending ? 'ascending' : 'descending') : 'none'}
                  >
                    <button
                      type="button"
                      onClick={() => setSort((s) => ({ field, ascending: s.field === field ? !s.ascending : true }))}
                    >
                      {HEADINGS[field]}
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {sorted.map((device) => (
                <tr key={device.serialNumber} title={withheld(device) ? WITHHELD_NOTE : undefined}>
                  {PROVIDER_DEVICE_FIELDS.map((field) => (
                    <td key={field}>
                      {field === 'serialNumber' ? (
                        <button type="button" className="link" onClick={() => setSelected(device)}>
                          {device.serialNumber}
                        </button>
                      ) : (
                        cell(device, field)
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {sorted.some(withheld) && <p className="note">— {WITHHELD_NOTE}</p>}
          <nav aria-label="Pages" className="pager">
            <button type="button" disabled={page === 0} onClick={() => setPage((p) => p - 1)}>
              Previous page
            </button>
            <button
              type="button"
              disabled={!nextCursor}
              onClick={() => {
                setPages((seen) => [...seen.slice(0, page + 1), nextCursor]);
                setPage((p) => p + 1);
              }}
            >
              Next page
            </button>
          </nav>
          <WorldMap
            title="Last locations of the devices on this page"
            points={sorted.flatMap((d) =>
              d.lastLocation ? [{ id: d.serialNumber, label: `Device ${d.serialNumber}`, ...d.lastLocation }] : [],
            )}
            onSelect={(serial) => setSelected(sorted.find((d) => d.serialNumber === serial) ?? null)}
          />
        </>
      )}
    </section>
  );
}
