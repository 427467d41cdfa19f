import { FormEvent, useCallback, useEffect, useState } from 'react';
import type { ApiSchemas } from '@poc/api-client';
import { Api, answer, messageOf } from './api';
import { DataTable } from './data-table';
import { LatLon, WorldMap } from './world-map';

type MapDevice = ApiSchemas['MapDeviceResponse'];
type NearDevice = ApiSchemas['LostDeviceResponse'];
type Office = ApiSchemas['NearestOfficeResponse'];
type Alert = ApiSchemas['DeviceAlertResponse'];

const RADII_KM = [1, 10, 50, 100, 500];
const km = (metres: number) => `${(metres / 1000).toFixed(1)} km`;

/** Field service: lost and stolen devices on a map, their trails, what is near a point, nearest offices, alerts. */
export function FieldService({ api }: { api: Api }) {
  const [devices, setDevices] = useState<MapDevice[] | null>(null);
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [selected, setSelected] = useState<MapDevice | null>(null);
  const [trail, setTrail] = useState<LatLon[]>([]);
  const [offices, setOffices] = useState<Office[] | null>(null);
  const [point, setPoint] = useState<LatLon | null>(null);
  const [radiusKm, setRadiusKm] = useState(50);
  const [near, setNear] = useState<NearDevice[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([
      api.client
        .GET('/v1/internal/devices', { params: { query: { bbox: '-180,-90,180,90', limit: 1000 } } })
        // Asked without an Accept for GeoJSON, the API answers its JSON list (the document offers both).
        .then((result) => answer(result) as ApiSchemas['MapDeviceListResponse']),
      api.client.GET('/v1/internal/alerts', { params: { query: { limit: 20 } } }).then(answer),
    ]).then(
      ([map, recent]) => {
        setDevices(map.items);
        setAlerts(recent.items);
      },
      (e: unknown) => {
        setDevices([]);
        setError(messageOf(e));
      },
    );
  }, [api]);

  const select = async (serial: string) => {
    const device = devices?.find((d) => d.serialNumber === serial) ?? null;
    setSelected(device);
    setTrail([]);
    setOffices(null);
    if (!device) return;
    try {
      const [locations, nearest] = await Promise.all([
        api.client
          .GET('/v1/internal/devices/{serialNumber}/locations', {
            params: { path: { serialNumber: serial }, query: { limit: 200 } },
          })
          .then(answer),
        api.client.GET('/v1/service-offices/nearest', { params: { query: { serialNumber: serial } } }).then(answer),
      ]);
      setTrail(locations.items);
      setOffices(nearest.items);
    } catch (e) {
      setError(messageOf(e));
    }
  };

  const searchNear = useCallback(
    async (at: LatLon, radius: number) => {
      setPoint(at);
      setNear(null);
      try {
        const query = { lat: Number(at.lat.toFixed(5)), lon: Number(at.lon.toFixed(5)), radiusKm: radius };
        setNear(answer(await api.client.GET('/v1/internal/lost-devices', { params: { query } })).items);
      } catch (e) {
        setError(messageOf(e));
      }
    },
    [api],
  );

  const typed = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void searchNear({ lat: Number(form.get('lat')), lon: Number(form.get('lon')) }, radiusKm);
  };

  return (
    <section aria-labelledby="field-heading">
      <h2 id="field-heading">Lost and stolen devices</h2>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {devices === null ? (
        <p aria-busy="true">Loading the map…</p>
      ) : (
        <WorldMap
          title="Devices reported lost or stolen, at their last location. Click the map to search near a point."
          points={devices.map((d) => ({
            id: d.serialNumber,
            label: `${d.lossReport?.kind === 'stolen' ? 'Stolen' : 'Lost'} device ${d.serialNumber}`,
            ...d.lastLocation,
          }))}
          trail={trail}
          onSelect={(serial) => void select(serial)}
          onPick={(at) => void searchNear(at, radiusKm)}
        />
      )}
      {devices?.length === 0 && <p>No device is reported lost or stolen.</p>}

      <div className="columns">
        <section aria-labelledby="near-heading">
          <h3 id="near-heading">Lost devices near a point</h3>
          <form className="search" onSubmit={typed}>
            <label htmlFor="near-lat">Latitude</label>
            <input id="near-lat" name="lat" type="number" step="any" min={-90} max={90} required />
            <label htmlFor="near-lon">Longitude</label>
            <input id="near-lon" name="lon" type="number" step="any" min={-180} max={180} required />
            <label htmlFor="near-radius">Radius</label>
            <select
              id="near-radius"
              value={radiusKm}
              onChange={(e) => {
                setRadiusKm(Number(e.target.value));
                if (point) void searchNear(point, Number(e.target.value));
              }}
            >
              {RADII_KM.map((r) => (
                <option key={r} value={r}>
                  {r} km
                </option>
              ))}
            </select>
            <button type="submit">Search</button>
          </form>
          <div role="status" aria-live="polite">
            {point && near === null && <p>Searching…</p>}
            {point && near?.length === 0 && (
              <p>
                No lost or stolen device within {radiusKm} km of {point.lat.toFixed(3)}, {point.lon.toFixed(3)}.
              </p>
            )}
          </div>
          {near && near.length > 0 && (
            <DataTable
              caption={`Within ${radiusKm} km of ${point?.lat.toFixed(3)}, ${point?.lon.toFixed(3)}, nearest first`}
              rows={near}
              rowKey={(d) => d.serialNumber}
              columns={[
                {
                  heading: 'Serial number',
                  cell: (d) => (
                    <button type="button" className="link" onClick={() => void select(d.serialNumber)}>
                      {d.serialNumber}
                    </button>
                  ),
                },
                { heading: 'Report', cell: (d) => d.lossReport.kind },
                { heading: 'Distance', cell: (d) => km(d.distanceM) },
              ]}
            />
          )}
        </section>

        <section aria-labelledby="selected-heading">
          <h3 id="selected-heading">{selected ? `Device ${selected.serialNumber}` : 'Selected device'}</h3>
          {!selected ? (
            <p>Choose a device on the map or in a list to see its trail and the nearest service offices.</p>
          ) : (
            <>
              <p>
                {selected.model}, reported {selected.lossReport?.kind} on{' '}
                {selected.lossReport ? new Date(selected.lossReport.reportedAt).toLocaleString() : '—'}; last location{' '}
                {selected.lastLocation.lat.toFixed(4)}, {selected.lastLocation.lon.toFixed(4)} (trail of {trail.length}{' '}
                locations drawn on the map).
              </p>
              <h4>Nearest service offices</h4>
              {offices === null ? (
                <p aria-busy="true">Loading…</p>
              ) : offices.length === 0 ? (
                <p>No service office is on record.</p>
              ) : (
                <ol>
                  {offices.map((o) => (
                    <li key={o.id}>
                      {o.name} ({o.kind.replace('_', ' ')}) — {km(o.distanceM)}
                    </li>
                  ))}
                </ol>
              )}
            </>
          )}
        </section>

        <section aria-labelledby="alerts-heading">
          <h3 id="alerts-heading">Stolen-device alerts</h3>
          {alerts.length === 0 ? (
            <p>No alerts.</p>
          ) : (
            <ul>
              {alerts.map((a, i) => (
                <li key={i}>
                  {new Date(a.at).toLocaleString()}: {a.kind.replace(/_/g, ' ')} — {a.serialNumber}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </section>
  );
}
