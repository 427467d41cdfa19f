import { Injectable } from '@nestjs/common';
import { AuditService } from '@poc/audit';
import type { Principal } from '@poc/auth';
import { recordSecurityEvent } from '@poc/common';
import { AppConfig } from '@poc/config';
import { ConsentService } from '@poc/consent';
import { Zip, ZipDeflate } from 'fflate';
import type { Writable } from 'node:stream';
import { csvLine, csvRows } from './csv';
import { toView } from './privacy-request';
import { PrivacyRequestsRepository } from './privacy-requests.repository';
import { PersonalDataQuery } from './personal-data.query';
import { processingRegister } from './processing-register';

const TELEMETRY_COLUMNS = [
  'messageId',
  'serialNumber',
  'deviceTime',
  'sentAt',
  'connectedAt',
  'receivedAt',
  'errorCodes',
  'batteryPct',
  'flowSetting',
  'firmware',
  'lat',
  'lon',
  'accuracyM',
  'capturedAt',
];
const DISCLOSURE_COLUMNS = ['at', 'actor', 'role', 'action', 'serialNumber', 'fields', 'purpose'];

type Row = object;

/** One category of the export: its rows as JSON texts, page by page (small categories are one page). */
interface Category {
  name: string;
  columns?: string[];
  pages: () => AsyncIterable<string[]>;
}

const asJson = async function* (pages: AsyncIterable<Row[]>): AsyncGenerator<string[]> {
  for await (const rows of pages) yield rows.map((row) => JSON.stringify(row));
};

export const EXPORT_FORMATS = ['json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * The patient's export (access and portability): every category held about them, for as long as it is kept,
 * with every disclosure in the accounting. Streamed: as one JSON document, or as a zip of one CSV file per
 * category (and the register extract as JSON). Completes their open access requests.
 */
@Injectable()
export class PersonalDataExport {
  constructor(
    private readonly personalData: PersonalDataQuery,
    private readonly consent: ConsentService,
    private readonly requests: PrivacyRequestsRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async write(patient: Principal, out: Writable, format: ExportFormat): Promise<void> {
    const id = patient.userId;
    await this.audit.record(patient, 'patient.export', [
      {
        serialNumber: null,
        patientId: id,
        fields: ['account', 'devices', 'consents', 'telemetry', 'locations', 'disclosures'],
      },
    ]);
    recordSecurityEvent('bulk_export');
    const exportedAt = new Date();
    const account = await this.personalData.account(id);
    const consents = await this.consent.stateOf(id);
    const once = (rows: () => Promise<Row[]>) =>
      async function* () {
        yield (await rows()).map((row) => JSON.stringify(row));
      };
    const categories: Category[] = [
      { name: 'devices', pages: once(() => this.personalData.devices(id)) },
      { name: 'deviceClaims', pages: once(() => this.personalData.deviceClaims(id)) },
      { name: 'lossReports', pages: once(() => this.personalData.lossReports(id)) },
      {
        name: 'privacyRequests',
        pages: once(async () => (await this.requests.ofPatient(id)).map((r) => toView(r))),
      },
      { name: 'disclosures', columns: DISCLOSURE_COLUMNS, pages: () => asJson(this.audit.allDisclosuresOf(id)) },
      { name: 'telemetry', columns: TELEMETRY_COLUMNS, pages: () => this.personalData.telemetry(id) },
    ];
    const send = async (chunk: string | Uint8Array) => {
      if (!out.write(chunk)) await onceDrained(out);
    };
    if (format === 'json') {
      await send(
        `${JSON.stringify({ exportedAt, register: processingRegister(this.config), account, consents }).slice(0, -1)}`,
      );
      for (const category of categories) {
        await send(`,${JSON.stringify(category.name)}:[`);
        let first = true;
        for await (const rows of category.pages()) {
          if (rows.length === 0) continue;
          await send((first ? '' : ',') + rows.join(','));
          first = false;
        }
        await send(']');
      }
    } else {
      await this.zipOfCsv(send, { exportedAt, account, consents }, categories);
    }
    // An access request is answered by this: it completes once the whole export is written, before its last
    // byte, so that a patient who has the export sees the request completed (and a failure here breaks it).
    try {
      await this.requests.completeOpenAccess(id, { exportedAt, format });
    } catch (error) {
      out.destroy(); // a broken download, never one that looks whole while its request stays open
      throw error;
    }
    out.end(format === 'json' ? '}' : undefined);
  }

  /** One CSV file per category, a register.json beside them; each file's header from its first rows. */
  private async zipOfCsv(
    send: (chunk: Uint8Array) => Promise<void>,
    head: {
      exportedAt: Date;
      account: Record<string, unknown>;
      consents: Awaited<ReturnType<ConsentService['stateOf']>>;
    },
    categories: Category[],
  ): Promise<void> {
    // fflate hands over the zip's bytes as it makes them; they are sent between pages, with backpressure.
    const pending: Uint8Array[] = [];
    let completed!: () => void;
    let failed!: (error: Error) => void;
    const finished = new Promise<void>((resolve, reject) => ([completed, failed] = [resolve, reject]));
    const zip = new Zip((error, chunk, final) => {
      if (error) return failed(error);
      pending.push(chunk);
      if (final) completed();
    });
    const flush = async () => {
      for (const chunk of pending.splice(0)) await send(chunk);
    };
    const file = async (name: string, pages: AsyncIterable<string>) => {
      const entry = new ZipDeflate(name, { level: 6 });
      zip.add(entry);
      for await (const text of pages) {
        entry.push(new TextEncoder().encode(text));
        await flush();
      }
      entry.push(new Uint8Array(0), true);
      await flush();
    };
    const { history, ...current } = head.consents;
    await file(
      'register.json',
      single(JSON.stringify({ exportedAt: head.exportedAt, ...processingRegister(this.config) }, null, 2)),
    );
    await file('account.csv', asCsv(Object.keys(head.account), single([head.account as Row])));
    await file('consents.csv', asCsv(Object.keys(history[0] ?? current), single(history)));
    for (const category of categories) {
      await file(`${kebab(category.name)}.csv`, asCsvPages(category.columns, parsed(category.pages())));
    }
    zip.end();
    await finished;
    await flush();
  }
}

/** Until the client has taken what was written; a client that left fails the export (its cursor is closed). */
const onceDrained = (out: Writable): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    const settle = (error?: Error) => {
      out.off('drain', drained);
      out.off('close', left);
      if (error) reject(error);
      else resolve();
    };
    const drained = () => settle();
    const left = () => settle(new ExportAbandoned());
    if (out.destroyed) return left();
    out.once('drain', drained);
    out.once('close', left);
  });

/** The client went away mid-export: nothing to answer, the snapshot and its connection are let go. */
export class ExportAbandoned extends Error {
  constructor() {
    super('the client left before the export ended');
  }
}
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

async function* single<T>(value: T): AsyncGenerator<T> {
  yield value;
}

async function* asCsv(columns: string[], pages: AsyncIterable<Row[]>): AsyncGenerator<string> {
  yield csvLine(columns);
  for await (const rows of pages) yield csvRows(columns, rows);
}

async function* parsed(pages: AsyncIterable<string[]>): AsyncGenerator<Row[]> {
  for await (const texts of pages) yield texts.map((text) => JSON.parse(text) as Row);
}

/** A category's CSV: its fixed columns, or those of its first rows. */
async function* asCsvPages(columns: string[] | undefined, pages: AsyncIterable<Row[]>): AsyncGenerator<string> {
  let header = columns;
  if (header) yield csvLine(header);
  for await (const rows of pages) {
    if (rows.length === 0) continue;
    if (!header) {
      header = Object.keys(rows[0]);
      yield csvLine(header);
    }
    yield csvRows(header, rows);
  }
}
