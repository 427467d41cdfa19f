import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { as, inParallel, SimHttp } from './http-client';

export interface SimDevice {
  serialNumber: string;
  model: string;
  password: string;
}

const DEVICES_PER_PATIENT = 250;
const MODELS = ['Inogen One G5', 'Inogen One G4', 'Inogen Rove 6'];
const SIM_PASSWORD = 'simulated-patient-password';

/**
 * Provisions N devices through the admin and patient APIs (a provider, patients, devices, links and
 * consents), or reuses those a previous run kept in the cache file for the same API.
 */
export async function provisionFleet(
  http: SimHttp,
  options: { devices: number; adminUser: string; adminPassword: string; cacheFile: string; apiUrl: string },
): Promise<SimDevice[]> {
  const cache: Record<string, SimDevice[]> = existsSync(options.cacheFile)
    ? JSON.parse(readFileSync(options.cacheFile, 'utf8'))
    : {};
  const cached = cache[options.apiUrl] ?? [];
  if (cached.length >= options.devices) return cached.slice(0, options.devices);

  const admin = await http.signIn(options.adminUser, options.adminPassword);
  const run = randomBytes(3).toString('hex').toUpperCase();
  const provider = SimHttp.data(
    await http.client.POST('/v1/admin/providers', { body: { name: `Simulated provider ${run}` }, ...as(admin) }),
  );
  const needed = options.devices - cached.length;
  const patients = await inParallel(
    Array.from({ length: Math.ceil(needed / DEVICES_PER_PATIENT) }, (_, i) => i),
    4,
    async (i) => {
      const username = `sim-${run.toLowerCase()}-patient-${i}`;
      const account = { username, password: SIM_PASSWORD, email: `${username}@sim.invalid`, birthDate: '1950-01-01' };
      SimHttp.data(await http.client.POST('/v1/auth/register', { body: account }));
      const token = await http.signIn(username, SIM_PASSWORD);
      const consents = {
        policyVersion: '2021-05-06',
        locationCollection: true,
        shareWithProvider: true,
        marketing: false,
        saleOptOut: false,
      };
      SimHttp.data(await http.client.PUT('/v1/me/consents', { body: consents, ...as(token) }));
      return token;
    },
  );
  const created = await inParallel(
    Array.from({ length: needed }, (_, i) => i),
    16,
    async (i): Promise<SimDevice> => {
      const serialNumber = `SIM-${run}-${String(i).padStart(6, '0')}`;
      const model = MODELS[i % MODELS.length];
      const suppliedBy = i % 2 === 0 ? provider.id : null;
      const device = SimHttp.data(
        await http.client.POST('/v1/admin/devices', { body: { serialNumber, model, suppliedBy }, ...as(admin) }),
      );
      const patient = patients[Math.floor(i / DEVICES_PER_PATIENT)];
      const link = SimHttp.data(
        await http.client.POST('/v1/me/devices', {
          body: { registrationCode: device.registrationCode },
          ...as(patient),
        }),
      );
      if (!('mqtt' in link)) throw new Error(`${serialNumber}: the registration code did not link the device`);
      return { serialNumber, model, password: link.mqtt.password };
    },
  );
  const fleet = [...cached, ...created];
  mkdirSync(dirname(options.cacheFile), { recursive: true });
  writeFileSync(options.cacheFile, JSON.stringify({ ...cache, [options.apiUrl]: fleet }), { mode: 0o600 });
  return fleet;
}
