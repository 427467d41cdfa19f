import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DomainError, loggableError } from '@poc/common';
import { AppConfig } from '@poc/config';
import { DatabaseNotices } from '@poc/db';
import {
  DEVICE_CREDENTIALS_CHANNEL,
  DeviceCredentialStore,
  DeviceCredentialStores,
  DevicesService,
  deviceSubtree,
  telemetryTopic,
} from '@poc/devices';
import { DynsecCommand, DynsecResponse, MosquittoDynsecControl } from './mosquitto-dynsec.control';

const DEVICE_ROLE = (serial: string) => `device:${serial}`;
// Failures that leave the broker as wanted (a deletion of what is already gone, a role already there).
const HARMLESS = /not found|already exists/i;
const PAGE = 1000;
const RETRY_MS = 1000;

/** Mosquitto's account for a device: its serial, its secret, its serial as the only client id, its topics. */
export function deviceAccount(serial: string, secret: string): DynsecCommand[] {
  return [
    { command: 'deleteClient', username: serial },
    {
      command: 'createRole',
      rolename: DEVICE_ROLE(serial),
      acls: [
        { acltype: 'publishClientSend', topic: telemetryTopic(serial), allow: true },
        { acltype: 'subscribePattern', topic: `${deviceSubtree(serial)}#`, allow: true },
      ],
    },
    {
      command: 'createClient',
      username: serial,
      password: secret,
      clientid: serial,
      roles: [{ rolename: DEVICE_ROLE(serial) }],
    },
  ];
}

const removal = (serial: string): DynsecCommand[] => [
  { command: 'deleteClient', username: serial },
  { command: 'deleteRole', rolename: DEVICE_ROLE(serial) },
];

/**
 * MQTT_URL mode with Mosquitto (MQTT_DYNSEC_URL set): keeps the broker's device accounts in step with the
 * database through its dynamic-security plugin. A new secret is put in place before it is committed (the
 * broker drops connections made with the old one); a revoked secret, an unlinked or erased device is
 * removed as soon as the database announces it; and the broker's device accounts are swept against the
 * database at start-up and whenever announcements may have been missed.
 */
@Injectable()
export class MosquittoDeviceAccounts implements DeviceCredentialStore, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MosquittoDeviceAccounts.name);
  private control: MosquittoDynsecControl | null = null;
  /** Serials still to check and, if they have no secret, to remove; kept until the broker confirms. */
  private readonly toRemove = new Set<string>();
  private readonly retries = new Map<'sweep' | 'removal', NodeJS.Timeout>();

  constructor(
    private readonly config: AppConfig,
    private readonly devices: DevicesService,
    stores: DeviceCredentialStores,
    notices: DatabaseNotices,
  ) {
    if (!config.MQTT_DYNSEC_URL) return;
    stores.register(this);
    notices.subscribe(DEVICE_CREDENTIALS_CHANNEL, {
      notice: (serial) => void this.removeUnlessCurrent([serial]),
      listening: (on) => on && this.control && void this.sweep(),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const url = this.config.MQTT_DYNSEC_URL;
    if (!url) return;
    this.control = await MosquittoDynsecControl.connect(url, `${this.config.MQTT_CLIENT_ID}-dynsec`);
    this.control.onReconnect(() => void this.sweep());
    await this.sweep();
  }

  async onApplicationShutdown(): Promise<void> {
    for (const timer of this.retries.values()) clearTimeout(timer);
    await this.control?.close();
  }

  async put(serialNumber: string, secret: string): Promise<void> {
    try {
      this.check(await this.required().run(deviceAccount(serialNumber, secret)));
    } catch (error) {
      this.logger.error(
        { err: loggableError(error), serial: serialNumber },
        'device account not updated on the broker',
      );
      throw new DomainError(
        'unavailable',
        'The broker could not take the new credentials; retry shortly',
        undefined,
        5,
      );
    }
  }

  /** Removes from the broker the accounts of those devices that have no secret in the database now. */
  private async removeUnlessCurrent(serials: string[]): Promise<void> {
    for (const serial of serials) this.toRemove.add(serial);
    try {
      const pending = [...this.toRemove];
      for (let i = 0; i < pending.length; i += 100) {
        const batch = pending.slice(i, i + 100);
        // Under the devices' row locks: a new secret cannot be put in place between the check and the removal.
        await this.devices.withCredentialsHeld(batch, async (versions) => {
          this.check(await this.required().run(batch.filter((s) => !versions.get(s)).flatMap(removal)));
        });
        for (const serial of batch) this.toRemove.delete(serial);
      }
    } catch (error) {
      this.logger.error({ err: loggableError(error) }, 'device accounts not removed from the broker; retrying');
      this.retryLater('removal', () => this.removeUnlessCurrent([]));
    }
  }

  /** Every device account the broker holds, checked against the database. */
  private async sweep(): Promise<void> {
    try {
      const serials: string[] = [];
      for (let offset = 0; ; offset += PAGE) {
        const [listed] = await this.required().run([{ command: 'listClients', verbose: true, count: PAGE, offset }]);
        const clients =
          ((listed.data ?? {}) as { clients?: Array<{ username: string; roles?: Array<{ rolename: string }> }> })
            .clients ?? [];
        for (const client of clients) {
          if (client.roles?.some((r) => r.rolename === DEVICE_ROLE(client.username))) serials.push(client.username);
        }
        if (clients.length < PAGE) break;
      }
      await this.removeUnlessCurrent(serials);
    } catch (error) {
      this.logger.error({ err: loggableError(error) }, 'device accounts on the broker not swept; retrying');
      this.retryLater('sweep', () => this.sweep());
    }
  }

  private retryLater(what: 'sweep' | 'removal', again: () => Promise<void>): void {
    clearTimeout(this.retries.get(what));
    this.retries.set(what, setTimeout(() => void again(), RETRY_MS).unref());
  }

  private required(): MosquittoDynsecControl {
    if (!this.control) throw new Error('not connected to the broker');
    return this.control;
  }

  private check(responses: DynsecResponse[]): void {
    const failed = responses.filter((r) => r.error && !HARMLESS.test(r.error));
    if (failed.length > 0)
      throw new Error(`broker refused: ${failed.map((r) => `${r.command}: ${r.error}`).join('; ')}`);
  }
}
