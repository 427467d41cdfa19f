import { Module } from '@nestjs/common';
import { AuditModule } from '@poc/audit';
import { ConsentModule } from '@poc/consent';
import { DevicesModule } from '@poc/devices';
import { BrokerHookController } from './broker-hook.controller';
import { BrokerHookRules } from './broker-hook.rules';
import { BrokerSessionsRepository } from './broker-sessions.repository';
import { EmbeddedBrokerSource } from './embedded-broker.source';
import { ExternalBrokerSource } from './external-broker.source';
import { IngestPipeline } from './ingest.pipeline';
import { InternalDevicesController } from './internal-devices.controller';
import { MosquittoDeviceAccounts } from './mosquitto-device-accounts';
import { TelemetryRepository } from './telemetry.repository';
import { TelemetryPartitionsMaintainer } from './telemetry-partitions.maintainer';
import { TelemetryReadService } from './telemetry-read.service';

@Module({
  imports: [DevicesModule, ConsentModule, AuditModule],
  controllers: [InternalDevicesController, BrokerHookController],
  providers: [
    BrokerHookRules,
    BrokerSessionsRepository,
    IngestPipeline,
    TelemetryRepository,
    TelemetryReadService,
    TelemetryPartitionsMaintainer,
    EmbeddedBrokerSource,
    ExternalBrokerSource,
    MosquittoDeviceAccounts,
  ],
  exports: [IngestPipeline, EmbeddedBrokerSource, ExternalBrokerSource],
})
export class TelemetryModule {}
