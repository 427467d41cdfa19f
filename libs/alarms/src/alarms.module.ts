import { Module } from '@nestjs/common';
import { AuditModule } from '@poc/audit';
import { TelemetryModule } from '@poc/telemetry';
import { AlarmCatalogRepository } from './alarm-catalog.repository';
import { AlarmEvaluator } from './alarm.evaluator';
import { AlarmRulesRepository } from './alarm-rules.repository';
import { AlarmCatalogController, InternalAlarmsController, ProviderAlarmsController } from './alarms.controllers';
import { AlarmsRepository } from './alarms.repository';
import { AlarmsService } from './alarms.service';
import { WebhookDeliveryWorker } from './webhook-delivery.worker';
import { InternalWebhooksController, ProviderWebhooksController } from './webhooks.controllers';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/** Alarms from error codes and silence: the catalog, the rules, the inboxes, and their webhooks. */
@Module({
  imports: [AuditModule, TelemetryModule],
  controllers: [
    InternalAlarmsController,
    ProviderAlarmsController,
    AlarmCatalogController,
    InternalWebhooksController,
    ProviderWebhooksController,
  ],
  providers: [
    AlarmCatalogRepository,
    AlarmEvaluator,
    AlarmRulesRepository,
    AlarmsRepository,
    AlarmsService,
    WebhookDeliveryWorker,
    WebhooksRepository,
    WebhooksService,
  ],
})
export class AlarmsModule {}
