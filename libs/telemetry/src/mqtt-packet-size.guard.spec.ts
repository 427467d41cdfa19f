import { generate } from 'mqtt-packet';
import { MqttPacketSizeGuard } from './mqtt-packet-size.guard';

const publishOf = (bytes: number): Buffer =>
  generate({
    cmd: 'publish',
    topic: 'poc/v1/X/telemetry',
    payload: Buffer.alloc(bytes),
    qos: 1,
    messageId: 7,
    retain: false,
    dup: false,
  });

async function pass(guard: MqttPacketSizeGuard, chunks: Buffer[]): Promise<Buffer> {
  const out: Buffer[] = [];
  guard.on('data', (chunk: Buffer) => out.push(chunk));
  return new Promise((resolve, reject) => {
    guard.on('error', reject);
    guard.on('end', () => resolve(Buffer.concat(out)));
    for (const chunk of chunks) guard.write(chunk);
    guard.end();
  });
}

describe('MqttPacketSizeGuard', () => {
  it('passes packets under the limit unchanged, however the bytes are split', async () => {
    const stream = Buffer.concat([publishOf(100), publishOf(5000), generate({ cmd: 'pingreq' }), publishOf(0)]);
    const byteAtATime = [...stream].map((b) => Buffer.from([b]));
    await expect(pass(new MqttPacketSizeGuard(6000), byteAtATime)).resolves.toEqual(stream);
    await expect(pass(new MqttPacketSizeGuard(6000), [stream])).resolves.toEqual(stream);
  });

  it('fails on the header of an oversized packet, before its body arrives', async () => {
    const big = publishOf(20_000);
    await expect(pass(new MqttPacketSizeGuard(6000), [publishOf(10), big.subarray(0, 5)])).rejects.toThrow(
      /over the limit/,
    );
  });

  it('fails on a remaining length longer than four bytes', async () => {
    await expect(
      pass(new MqttPacketSizeGuard(6000), [Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01])]),
    ).rejects.toThrow(/malformed/);
  });
});
