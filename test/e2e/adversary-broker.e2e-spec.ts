import type { MqttClient } from 'mqtt';
import { asAdmin } from '../support/builders';
import { aLinkedDevice, connectLink, DeviceLink, publish, telemetry } from '../support/device-link';
import { startTestApp, TestApp } from '../support/test-app';

/** Attacks on the embedded broker and the ingest path, each ending refused with nothing changed. */
describe('an attacker on the MQTT side', () => {
  let app: TestApp;
  let admin: string;
  const clients: MqttClient[] = [];
  const connect = async (link: Pick<DeviceLink, 'serialNumber' | 'password'>) => {
    const client = await connectLink(app.mqttUrl, link);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    app = await startTestApp();
    admin = await asAdmin(app.api);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await app.close();
  });

  it("cannot shadow another device's message by reusing its messageId and device time", async () => {
    const [victim, attacker] = await Promise.all([aLinkedDevice(app.api, admin), aLinkedDevice(app.api, admin)]);
    const attackerClient = await connect(attacker);
    const victimClient = await connect(victim);
    const message = telemetry(victim);
    // The attacker learns (or guesses) the id and time first and publishes them under its own serial.
    await publish(attackerClient, attacker.serialNumber, { ...telemetry(attacker), ...pick(message) });
    await publish(victimClient, victim.serialNumber, message);
    const rows = await app.sql<{ serial_number: string }>(
      'SELECT serial_number FROM telemetry WHERE message_id = $1 ORDER BY serial_number',
      [message.messageId],
    );
    expect(rows.map((r) => r.serial_number).sort()).toEqual([attacker.serialNumber, victim.serialNumber].sort());
  });
});

const pick = (message: ReturnType<typeof telemetry>) => ({
  messageId: message.messageId,
  sentAt: message.sentAt,
  connectedAt: message.connectedAt,
});
