import { randomUUID } from 'node:crypto';
import type { SimDevice } from './fleet';

export type MessageKind = 'valid' | 'invalid' | 'duplicate' | 'late';

interface Track {
  lat: number;
  lon: number;
  heading: number;
  last: string | null;
}

/** What share of messages are faulty, and which error codes they report how often (alarms' load). */
export interface MessageMix {
  invalid: number;
  duplicate: number;
  late: number;
  /** Catalogued codes, one of which a message reports with probability `codeRate`. */
  codes: string[];
  codeRate: number;
  /** Probability that a message reports a code no catalog has. */
  unknownRate: number;
}

/** Realistic telemetry per device: a slowly moving position, occasional error codes, some faults. */
export class TelemetryGenerator {
  private readonly tracks = new Map<string, Track>();

  constructor(private readonly mix: MessageMix) {}

  next(device: SimDevice, now: Date): { kind: MessageKind; payload: string } {
    const track = this.trackOf(device.serialNumber);
    const roll = Math.random();
    if (track.last && roll < this.mix.duplicate) return { kind: 'duplicate', payload: track.last };
    track.heading += (Math.random() - 0.5) * 0.4;
    track.lat += Math.cos(track.heading) * 0.0002;
    track.lon += Math.sin(track.heading) * 0.0002;
    const late = roll < this.mix.duplicate + this.mix.late;
    const at = new Date(now.getTime() - (late ? 3_600_000 : 0));
    const message: Record<string, unknown> = {
      messageId: randomUUID(),
      serialNumber: device.serialNumber,
      model: device.model,
      sentAt: at.toISOString(),
      connectedAt: new Date(at.getTime() - 1500).toISOString(),
      errorCodes: this.errorCodes(),
      location: {
        lat: +track.lat.toFixed(6),
        lon: +track.lon.toFixed(6),
        accuracyM: 8 + Math.round(Math.random() * 20),
        capturedAt: at.toISOString(),
      },
      batteryPct: Math.round(20 + Math.random() * 80),
      flowSetting: 1 + Math.floor(Math.random() * 5),
      firmware: '5.2.1',
    };
    const invalid = roll >= 1 - this.mix.invalid;
    if (invalid) message.batteryPct = 250;
    const payload = JSON.stringify(message);
    if (!invalid) track.last = payload;
    return { kind: invalid ? 'invalid' : late ? 'late' : 'valid', payload };
  }

  private errorCodes(): string[] {
    const codes: string[] = [];
    if (this.mix.codes.length > 0 && Math.random() < this.mix.codeRate) {
      codes.push(this.mix.codes[Math.floor(Math.random() * this.mix.codes.length)]);
    }
    if (Math.random() < this.mix.unknownRate) codes.push(`X${Math.floor(Math.random() * 90) + 10}`);
    return codes;
  }

  private trackOf(serial: string): Track {
    let track = this.tracks.get(serial);
    if (!track) {
      // Spread across the continental US.
      track = {
        lat: 30 + Math.random() * 15,
        lon: -120 + Math.random() * 45,
        heading: Math.random() * 6.28,
        last: null,
      };
      this.tracks.set(serial, track);
    }
    return track;
  }
}
