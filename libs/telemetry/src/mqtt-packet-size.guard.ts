import { Duplex, Transform, TransformCallback } from 'node:stream';
import type { Socket } from 'node:net';

/**
 * Reads only the MQTT fixed headers of the bytes passing through and fails at the first packet whose
 * declared size is over the limit, before its body is buffered: the broker's packet parser would
 * otherwise collect up to 256 MiB for a single packet.
 */
export class MqttPacketSizeGuard extends Transform {
  private bodyLeft = 0;
  private header: number[] = [];

  constructor(private readonly maxPacketBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.bodyLeft > 0) {
        const skip = Math.min(this.bodyLeft, chunk.length - at);
        this.bodyLeft -= skip;
        at += skip;
        continue;
      }
      // Fixed header: one type byte, then the remaining length in 1-4 bytes of 7 bits, low group first.
      const byte = chunk[at++];
      this.header.push(byte);
      if (this.header.length === 1) continue;
      if (byte & 0x80) {
        if (this.header.length === 5) return done(new Error('malformed MQTT remaining length'));
        continue;
      }
      let length = 0;
      for (let k = this.header.length - 1; k >= 1; k--) length = length * 128 + (this.header[k] & 0x7f);
      if (length > this.maxPacketBytes) return done(new Error(`MQTT packet of ${length} bytes over the limit`));
      this.bodyLeft = length;
      this.header = [];
    }
    done(null, chunk);
  }
}

/** The connection as the broker sees it: reads pass the size guard, writes go to the socket; a breach closes it. */
export function guardPacketSize(socket: Socket, maxPacketBytes: number): Duplex {
  const guard = new MqttPacketSizeGuard(maxPacketBytes);
  guard.on('error', () => socket.destroy());
  return Duplex.from({ readable: socket.pipe(guard), writable: socket });
}
