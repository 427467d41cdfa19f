import { telemetryTopic } from '../../libs/devices/src/device-topics';
import { randomUUID } from 'node:crypto';
import mqtt, { IClientOptions, MqttClient } from 'mqtt';
import type { Api } from './api';
import { aDevice, aPatient } from './builders';

export interface DeviceLink {
  serialNumber: string;
  model: string;
  password: string;
  patient: { id: string; username: string; token: string };
}

export interface ConsentChoices {
  locationCollection?: boolean;
  shareWithProvider?: boolean;
  accepted?: boolean;
}

/** A `PUT /v1/me/consents` body: the current policy accepted, everything allowed but marketing and sale. */
export const consentChoices = (over: Record<string, boolean> = {}) => ({
  policyVersion: '2021-05-06',
  locationCollection: true,
  shareWithProvider: true,
  marketing: false,
  saleOptOut: false,
  ...over,
});

/** A patient with a linked device, its MQTT credentials and the given consent. */
export async function aLinkedDevice(
  api: Api,
  admin: string,
  options: { suppliedBy?: string | null; model?: string; consent?: ConsentChoices } = {},
): Promise<DeviceLink> {
  const device = await aDevice(api, admin, { suppliedBy: options.suppliedBy, model: options.model });
  const patient = await aPatient(api);
  const link = await api.post('/v1/me/devices', { registrationCode: device.registrationCode }, patient.token);
  if (link.status !== 201)
    throw new Error(`linking ${device.serialNumber}: ${link.status} ${JSON.stringify(link.body)}`);
  const consent = { accepted: true, locationCollection: true, shareWithProvider: true, ...options.consent };
  if (consent.accepted) {
    const { locationCollection, shareWithProvider } = consent;
    await api.put('/v1/me/consents', consentChoices({ locationCollection, shareWithProvider }), patient.token);
  }
  return { serialNumber: device.serialNumber, model: device.model, password: link.body.mqtt.password, patient };
}

/** `count` linked devices, made ten at a time (as many at once would queue on the API's pool). */
export async function linkedDevices(api: Api, admin: string, count: number): Promise<DeviceLink[]> {
  const links: DeviceLink[] = [];
  while (links.length < count) {
    const batch = Math.min(10, count - links.length);
    links.push(...(await Promise.all(Array.from({ length: batch }, () => aLinkedDevice(api, admin)))));
  }
  return links;
}

/** A device link's MQTT connection (a client id of its own unless `options` say otherwise). */
export function connectLink(
  url: string,
  link: Pick<DeviceLink, 'serialNumber' | 'password'>,
  options: IClientOptions = {},
): Promise<MqttClient> {
  return mqtt.connectAsync(url, {
    username: link.serialNumber,
    password: link.password,
    clientId: `${link.serialNumber}-${randomUUID().slice(0, 8)}`,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    ...options,
  });
}

export function telemetry(link: Pick<DeviceLink, 'serialNumber' | 'model'>, over: Record<string, unknown> = {}) {
  const now = new Date();
  return {
    messageId: randomUUID(),
    serialNumber: link.serialNumber,
    model: link.model,
    sentAt: now.toISOString(),
    connectedAt: new Date(now.getTime() - 2000).toISOString(),
    errorCodes: [],
    location: { lat: 34.4358, lon: -119.8276, accuracyM: 12, capturedAt: new Date(now.getTime() - 1000).toISOString() },
    batteryPct: 81,
    flowSetting: 3,
    firmware: '5.2.1',
    ...over,
  };
}

export const topicOf = telemetryTopic;

export async function publish(client: MqttClient, serialNumber: string, payload: unknown): Promise<void> {
  await client.publishAsync(topicOf(serialNumber), typeof payload === 'string' ? payload : JSON.stringify(payload), {
    qos: 1,
  });
}
