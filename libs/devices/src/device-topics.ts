// The contract's topic layout, the one definition of it: a device publishes on poc/v1/{serialNumber}/telemetry
// and hears its rejection notices on poc/v1/{serialNumber}/rejected.
const TELEMETRY = /^poc\/v1\/([^/+#]+)\/telemetry$/;

export const telemetryTopic = (serialNumber: string): string => `poc/v1/${serialNumber}/telemetry`;
export const telemetrySerialOf = (topic: string): string | null => TELEMETRY.exec(topic)?.[1] ?? null;
export const deviceSubtree = (serialNumber: string): string => `poc/v1/${serialNumber}/`;
export const rejectedTopic = (serialNumber: string): string => `poc/v1/${serialNumber}/rejected`;
/** The ingest's subscription to every device's telemetry, shared across instances (MQTT 5 / $share). */
export const SHARED_TELEMETRY_SUBSCRIPTION = '$share/ingest/poc/v1/+/telemetry';
