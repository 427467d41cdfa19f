// The contract's topic layout: poc/v1/{serialNumber}/telemetry, notices on poc/v1/{serialNumber}/rejected.
const TELEMETRY = /^poc\/v1\/([^/+#]+)\/telemetry$/;

export const telemetrySerialOf = (topic: string): string | null => TELEMETRY.exec(topic)?.[1] ?? null;
export const deviceSubtree = (serial: string): string => `poc/v1/${serial}/`;
export const rejectedTopic = (serial: string): string => `poc/v1/${serial}/rejected`;
export const SHARED_TELEMETRY_SUBSCRIPTION = '$share/ingest/poc/v1/+/telemetry';
export const rejectionNotice = (messageId: string | null, reason: string): Buffer =>
  Buffer.from(JSON.stringify({ messageId, reason }));
