import mqtt, { MqttClient } from 'mqtt';
import { randomUUID } from 'node:crypto';

export type DynsecCommand = Record<string, unknown> & { command: string };
export interface DynsecResponse {
  command: string;
  error?: string;
  data?: unknown;
  correlationData?: string;
}

const CONTROL_TOPIC = '$CONTROL/dynamic-security/v1';
const RESPONSE_TOPIC = `${CONTROL_TOPIC}/response`;
const TIMEOUT_MS = 5000;

/**
 * Mosquitto's dynamic-security plugin, spoken over its control topic: a batch of commands is published
 * at once and answered, in order, on the response topic; a correlation id matches the answer to it.
 */
export class MosquittoDynsecControl {
  private readonly waiting = new Map<string, (responses: DynsecResponse[]) => void>();

  private constructor(private readonly client: MqttClient) {
    client.on('message', (_topic, payload) => {
      let responses: DynsecResponse[] = [];
      try {
        responses = (JSON.parse(payload.toString()) as { responses?: DynsecResponse[] }).responses ?? [];
      } catch {
        return; // not an answer to anything of ours
      }
      const id = responses[0]?.correlationData?.split(':')[0];
      const resolve = id === undefined ? undefined : this.waiting.get(id);
      resolve?.(responses);
    });
  }

  /** Connects (reconnecting by itself afterwards) and listens for answers. */
  static async connect(url: string, clientId: string): Promise<MosquittoDynsecControl> {
    const client = await mqtt.connectAsync(url, {
      clientId,
      protocolVersion: 5,
      reconnectPeriod: 1000,
      connectTimeout: 5000,
    });
    await client.subscribeAsync(RESPONSE_TOPIC, { qos: 1 });
    return new MosquittoDynsecControl(client);
  }

  get connected(): boolean {
    return this.client.connected;
  }

  onReconnect(listener: () => void): void {
    this.client.on('connect', listener);
  }

  /** Runs the commands in order; answers one response each (an `error` in those that failed). */
  async run(commands: DynsecCommand[]): Promise<DynsecResponse[]> {
    if (commands.length === 0) return [];
    const id = randomUUID();
    const answered = new Promise<DynsecResponse[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error('the broker did not answer its dynamic-security commands'));
      }, TIMEOUT_MS).unref();
      this.waiting.set(id, (responses) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(responses);
      });
    });
    // Its timeout may fire while the publish below is still waiting (the broker gone): handled here, so that
    // it is never an unhandled rejection; the caller still gets it below.
    answered.catch(() => undefined);
    const batch = commands.map((command, i) => ({ ...command, correlationData: `${id}:${i}` }));
    try {
      await this.client.publishAsync(CONTROL_TOPIC, JSON.stringify({ commands: batch }), { qos: 1 });
    } catch (error) {
      this.waiting.get(id)?.([]);
      throw error;
    }
    return answered;
  }

  close(): Promise<void> {
    return this.client.endAsync(true);
  }
}
