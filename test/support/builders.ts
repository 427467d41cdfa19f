import { randomBytes } from 'node:crypto';
import type { Role } from '../../libs/auth/src';
import type { Api } from './api';
import { ADMIN } from './test-app';

const unique = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;
export const PASSWORD = 'a-long-test-password';

export async function signIn(api: Api, username: string, password = PASSWORD): Promise<string> {
  const response = await api.post('/v1/auth/token', { username, password });
  if (response.status !== 200) throw new Error(`sign-in of ${username} failed: ${response.status}`);
  return response.body.accessToken;
}

export const asAdmin = (api: Api): Promise<string> => signIn(api, ADMIN.username, ADMIN.password);

export async function aProvider(api: Api, admin: string): Promise<{ id: string; name: string }> {
  const response = await api.post('/v1/admin/providers', { name: unique('Provider') }, admin);
  if (response.status !== 201) throw new Error(`provider: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function aUser(
  api: Api,
  admin: string,
  role: Exclude<Role, 'patient'>,
  providerId?: string,
): Promise<{ id: string; username: string; token: string }> {
  const username = unique(role.replace('_', '-'));
  const response = await api.post('/v1/admin/users', { username, password: PASSWORD, role, providerId }, admin);
  if (response.status !== 201) throw new Error(`user: ${response.status} ${JSON.stringify(response.body)}`);
  return { id: response.body.id, username, token: await signIn(api, username) };
}

export async function aPatient(api: Api): Promise<{ id: string; username: string; token: string }> {
  const username = unique('patient');
  const response = await api.post('/v1/auth/register', {
    username,
    password: PASSWORD,
    email: `${username}@example.org`,
    birthDate: '1950-06-15',
  });
  if (response.status !== 201) throw new Error(`patient: ${response.status} ${JSON.stringify(response.body)}`);
  return { id: response.body.id, username, token: await signIn(api, username) };
}

export async function aDevice(
  api: Api,
  admin: string,
  options: { suppliedBy?: string | null; model?: string } = {},
): Promise<{ serialNumber: string; model: string; suppliedBy: string | null; registrationCode: string }> {
  const response = await api.post(
    '/v1/admin/devices',
    {
      serialNumber: unique('G5').toUpperCase(),
      model: options.model ?? 'Inogen One G5',
      suppliedBy: options.suppliedBy ?? null,
    },
    admin,
  );
  if (response.status !== 201) throw new Error(`device: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}
