import { useEffect, useState } from 'react';
import type { ApiSchemas } from '@poc/api-client';
import { Api, answer, messageOf } from './api';
import { DataTable } from './data-table';
import { TimeChart } from './time-chart';

type TelemetryItem = ApiSchemas['TelemetryItemResponse'];
type Rejected = ApiSchemas['RejectedMessageResponse'];

const series = (items: TelemetryItem[], pick: (i: TelemetryItem) => number | null) =>
  items.flatMap((i) => {
    const value = pick(i);
    return value === null ? [] : [{ at: new Date(i.connectedAt ?? i.sentAt), value }];
  });

/** Support: a device's telemetry over time (battery, flow setting, error codes) and its rejected messages. */
export function DeviceHistory({ api, serialNumber }: { api: Api; serialNumber: string }) {
  const [items, setItems] = useState<TelemetryItem[] | null>(null);
  const [rejected, setRejected] = useState<Rejected[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const path = { serialNumber };
    Promise.all([
      api.client
        .GET('/v1/internal/devices/{serialNumber}/telemetry', { params: { path, query: { limit: 500 } } })
        .then(answer),
      api.client
        .GET('/v1/internal/devices/{serialNumber}/rejected', { params: { path, query: { limit: 50 } } })
        .then(answer),
    ]).then(
      ([telemetry, refused]) => {
        setItems(telemetry.items);
        setRejected(refused.items);
      },
      (e: unknown) => setError(messageOf(e)),
    );
  }, [api, serialNumber]);

  if (error) return <p className="error">{error}</p>;
  if (!items) return <p aria-busy="true">Loading the telemetry…</p>;
  const withErrors = items.filter((i) => i.errorCodes.length > 0);
  return (
    <section aria-labelledby="history-heading">
      <h3 id="history-heading">Telemetry history</h3>
      <div className="columns">
        <TimeChart title="Battery" unit="%" max={100} points={series(items, (i) => i.batteryPct)} />
        <TimeChart title="Flow setting" unit="" max={10} points={series(items, (i) => i.flowSetting)} />
      </div>
      {withErrors.length === 0 ? (
        <p>No error codes reported in this period.</p>
      ) : (
        <DataTable
          caption="Error codes over time"
          rows={withErrors}
          rowKey={(i) => i.messageId}
          columns={[
            { heading: 'Device time', cell: (i) => new Date(i.connectedAt ?? i.sentAt).toLocaleString() },
            { heading: 'Error codes', cell: (i) => i.errorCodes.join(', ') },
          ]}
        />
      )}
      <h3>Rejected messages</h3>
      {rejected.length === 0 ? (
        <p>No message from this device was rejected.</p>
      ) : (
        <DataTable
          caption="Rejected messages, newest first, with the reason sent back to the device"
          rows={rejected}
          rowKey={(r, i) => `${r.messageId ?? 'none'}-${i}`}
          columns={[
            { heading: 'Received', cell: (r) => new Date(r.receivedAt).toLocaleString() },
            { heading: 'Message id', cell: (r) => r.messageId ?? '—' },
            { heading: 'Reason', cell: (r) => r.reason },
          ]}
        />
      )}
    </section>
  );
}
