import { Injectable } from '@nestjs/common';
import type { Principal } from '@poc/auth';
import { DomainError } from '@poc/common';
import { AppConfig } from '@poc/config';
import { randomBytes } from 'node:crypto';
import { WebhookTargets } from './webhook-target';
import { Delivery, Webhook, WebhooksRepository } from './webhooks.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Webhook targets and their deliveries, each owner seeing only its own: a provider's are its provider's,
 * the internal team's are the manufacturer's (no provider). The signing secret is shown once.
 */
@Injectable()
export class WebhooksService {
  private readonly targets: WebhookTargets;

  constructor(
    private readonly webhooks: WebhooksRepository,
    config: AppConfig,
  ) {
    this.targets = new WebhookTargets(config.WEBHOOK_ALLOWED_HOSTS);
  }

  async register(
    caller: Principal,
    hook: { url: string; events: string[]; minSeverity: string },
  ): Promise<Webhook & { secret: string }> {
    const url = this.targets.check(hook.url).toString();
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const events = [...new Set(hook.events)];
    const made = await this.webhooks.register(ownerOf(caller), { ...hook, url, events, secret }, caller.userId);
    return { ...made, secret };
  }

  async list(caller: Principal): Promise<{ items: Webhook[] }> {
    return { items: await this.webhooks.list(ownerOf(caller)) };
  }

  async remove(caller: Principal, id: string): Promise<void> {
    await this.own(caller, id);
    await this.webhooks.disable(id);
  }

  async deliveries(caller: Principal, id: string, state: string | undefined, limit: number) {
    await this.own(caller, id);
    return { items: await this.webhooks.deliveries(id, state, limit) };
  }

  async replay(caller: Principal, id: string, deliveryId: string): Promise<Delivery> {
    await this.own(caller, id);
    const replayed = /^\d{1,18}$/.test(deliveryId) ? await this.webhooks.replay(id, deliveryId) : null;
    if (!replayed) throw new DomainError('not_found', 'No dead or delivered delivery of this webhook has that id');
    return replayed;
  }

  private async own(caller: Principal, id: string): Promise<void> {
    if (!UUID.test(id) || !(await this.webhooks.owns(ownerOf(caller), id))) {
      throw new DomainError('not_found', 'No such webhook');
    }
  }
}

function ownerOf(caller: Principal): string | null {
  if (caller.role !== 'provider') return null;
  if (!caller.providerId) throw new DomainError('forbidden', 'This account is not bound to a provider');
  return caller.providerId;
}
