import { INTERNAL_DEVICE_VIEWS, InternalRole } from '@poc/access';
import { aUser } from '../support/builders';
import { aLinkedDevice, connectLink, DeviceLink, publish, telemetry } from '../support/device-link';
import { TestApp, useTestApp } from '../support/test-app';

describe("internal roles' views of a device (each the minimum its work needs)", () => {
  let app: TestApp;
  let admin: string;
  let link: DeviceLink;
  const tokens = {} as Record<InternalRole, string>;

  useTestApp((started) => ({ app, admin } = started));

  beforeAll(async () => {
    link = await aLinkedDevice(app.api, admin);
    const client = await connectLink(app.mqttUrl, link);
    await publish(client, link.serialNumber, telemetry(link, { errorCodes: ['E02'] }));
    await client.endAsync();
    tokens.admin = admin;
    for (const role of ['support', 'field_service', 'privacy_officer'] as const) {
      tokens[role] = (await aUser(app.api, admin, role)).token;
    }
  });

  it.each(Object.keys(INTERNAL_DEVICE_VIEWS) as InternalRole[])(
    '%s sees exactly the fields of its view',
    async (role) => {
      const response = await app.api.get(`/v1/internal/devices/${link.serialNumber}`, tokens[role]);
      expect(response.status).toBe(200);
      // No loss report stands, so fields shown only while lost are absent.
      const expected = Object.entries(INTERNAL_DEVICE_VIEWS[role])
        .filter(([, visibility]) => visibility === 'always')
        .map(([field]) => field);
      expect(Object.keys(response.body).sort()).toEqual(expected.sort());
    },
  );

  it('field service and the privacy officer cannot read the location trail or telemetry of a device not lost', async () => {
    for (const role of ['field_service', 'privacy_officer'] as const) {
      expect((await app.api.get(`/v1/internal/devices/${link.serialNumber}/locations`, tokens[role])).status).toBe(403);
      expect((await app.api.get(`/v1/internal/devices/${link.serialNumber}/telemetry`, tokens[role])).status).toBe(403);
    }
    // Support and admin: with a stated reason (a break-glass read, audited), never without one.
    for (const role of ['support', 'admin'] as const) {
      const path = `/v1/internal/devices/${link.serialNumber}/locations`;
      expect((await app.api.get(path, tokens[role])).status).toBe(403);
      expect((await app.api.get(`${path}?reason=patient%20asked`, tokens[role])).status).toBe(200);
    }
    expect(
      (
        await app.api.get(
          `/v1/internal/devices/${link.serialNumber}/locations?reason=just%20curious`,
          tokens.field_service,
        )
      ).status,
    ).toBe(403);
  });
});
