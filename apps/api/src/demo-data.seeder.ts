import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AccountsService, Role } from '@poc/auth';
import { DomainError } from '@poc/common';
import { AppConfig } from '@poc/config';
import { DevicesService } from '@poc/devices';
import { ServiceOfficesService } from '@poc/geo';

export const DEMO_PASSWORD = 'demo-password-1';
export const DEMO_USERS: ReadonlyArray<{ username: string; role: Role }> = [
  { username: 'provider.sunrise', role: 'provider' },
  { username: 'support.demo', role: 'support' },
  { username: 'field.demo', role: 'field_service' },
  { username: 'privacy.demo', role: 'privacy_officer' },
];
export const DEMO_PATIENT = 'patient.demo';

const OFFICES = [
  { name: 'Santa Barbara branch', kind: 'branch', location: { lat: 34.4208, lon: -119.6982 } },
  { name: 'Los Angeles branch', kind: 'branch', location: { lat: 34.0522, lon: -118.2437 } },
  { name: 'Ventura service rep', kind: 'service_rep', location: { lat: 34.2746, lon: -119.229 } },
  { name: 'San Luis Obispo service rep', kind: 'service_rep', location: { lat: 35.2828, lon: -120.6596 } },
] as const;

/** With DEMO_DATA=true, a small world to click through: one provider, a user per role, devices, offices. */
@Injectable()
export class DemoDataSeeder implements OnApplicationBootstrap {
  constructor(
    private readonly config: AppConfig,
    private readonly accounts: AccountsService,
    private readonly devices: DevicesService,
    private readonly offices: ServiceOfficesService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.DEMO_DATA) return;
    const provider = await this.accounts.ensureProvider('Sunrise Home Care');
    for (const { username, role } of DEMO_USERS) {
      await this.accounts.ensureUser({
        username,
        password: DEMO_PASSWORD,
        role,
        providerId: role === 'provider' ? provider.id : undefined,
      });
    }
    await this.accounts.ensurePatient({
      username: DEMO_PATIENT,
      password: DEMO_PASSWORD,
      email: 'patient.demo@example.org',
      birthDate: '1948-03-14',
    });
    for (let i = 1; i <= 6; i++) {
      const serialNumber = `G5-DEMO-${String(i).padStart(4, '0')}`;
      await this.devices
        .register({ serialNumber, model: 'Inogen One G5', suppliedBy: i <= 4 ? provider.id : null })
        .catch((error: unknown) => {
          if (!(error instanceof DomainError && error.code === 'conflict')) throw error;
        });
    }
    if ((await this.offices.count()) === 0) {
      for (const office of OFFICES) await this.offices.create(office);
    }
  }
}
