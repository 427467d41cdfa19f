import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface PartnerDatasetRow {
  device: string;
  model: string;
  month: string;
  messages: number;
  messagesWithErrors: number;
}

// Per device (a pseudonym salted afresh for each export: nothing links two exports, or an export to a serial),
// model and month: how many messages, how many reported an error. Only devices whose patient may have their
// data go to a third party (device_patient_permissions.may_sell: no sale opt-out, no restriction, the
// current policy accepted), and only the rows collected for that patient.
const DATASET = `
  SELECT encode(sha256(convert_to($3 || p.serial_number, 'UTF8')), 'hex') AS device, p.model,
         to_char(date_trunc('month', t.device_time), 'YYYY-MM') AS month,
         count(*)::int AS messages,
         (count(*) FILTER (WHERE cardinality(t.error_codes) > 0))::int AS "messagesWithErrors"
    FROM device_patient_permissions p
    JOIN telemetry t ON t.serial_number = p.serial_number AND t.patient_id = p.patient_id
   WHERE p.may_sell AND t.device_time >= $1 AND t.device_time < $2
   GROUP BY 1, 2, 3
   ORDER BY 1, 3`;

/** The dataset a partner (a third party) may receive: pseudonymous, and never of a patient who opted out of sale. */
@Injectable()
export class PartnerDatasetQuery {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  run(from: Date, to: Date, salt: string): Promise<PartnerDatasetRow[]> {
    return this.db.query(DATASET, [from, to, salt]);
  }
}
