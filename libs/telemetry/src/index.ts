export { EmbeddedBrokerSource } from './embedded-broker.source';
export { ExternalBrokerSource } from './external-broker.source';
export { CommittedTelemetry, IngestInput, IngestOutcome, IngestPipeline } from './ingest.pipeline';
export { TelemetryModule } from './telemetry.module';
