/**
 * The error-code catalog as shipped: per model, each code's severity, what a provider and what support
 * read, and the action to take. Written from the alert tables of the Inogen One G3, G4 and G5 user
 * manuals (the manuals name alerts by their display text; the codes are this platform's). At start-up the
 * entries missing from the database are added; an admin's edits through the API are kept.
 */
export const SEVERITIES = ['info', 'minor', 'major', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface CatalogEntry {
  model: string;
  code: string;
  severity: Severity;
  providerText: string;
  supportText: string;
  action: string;
}

type Alert = Omit<CatalogEntry, 'model'>;

const ALERTS: Record<string, Alert> = {
  E01: {
    code: 'E01',
    severity: 'minor',
    providerText: 'No breath detected: the cannula may be disconnected or kinked',
    supportText: 'No breath detected for 60 s ("Check cannula"); the concentrator keeps pulsing at the last rate',
    action: 'Ask the patient to check the cannula connection and tubing, and to breathe through the nose',
  },
  E02: {
    code: 'E02',
    severity: 'major',
    providerText: 'Battery low: about 10 minutes of oxygen left on battery',
    supportText: 'Battery below 10 % ("Battery low"); oxygen stops when it is empty',
    action: 'Ask the patient to plug in AC or DC power or change the battery now',
  },
  E03: {
    code: 'E03',
    severity: 'critical',
    providerText: 'Battery empty: the concentrator has stopped producing oxygen',
    supportText: 'Battery depleted ("Battery empty"); no oxygen is delivered until power is connected',
    action: 'Reach the patient now: switch to backup oxygen and connect power',
  },
  E04: {
    code: 'E04',
    severity: 'major',
    providerText: 'Oxygen concentration low',
    supportText:
      'Oxygen concentration below 82 % for 10 minutes ("Oxygen concentration low"); sieve columns likely exhausted',
    action: 'Arrange a column change or exchange; the patient uses backup oxygen if it persists',
  },
  E05: {
    code: 'E05',
    severity: 'major',
    providerText: 'Concentrator too hot',
    supportText: 'System overheat: internal temperature above the operating range; output may stop',
    action: 'Ask the patient to move the unit somewhere cooler and check that the intake filters are clear',
  },
  E06: {
    code: 'E06',
    severity: 'minor',
    providerText: 'Battery fault: the battery is not charging',
    supportText: 'Battery error or battery temperature out of range; the unit runs on external power only',
    action: 'Replace the battery; check the charger',
  },
  E07: {
    code: 'E07',
    severity: 'critical',
    providerText: 'Service required: the concentrator has stopped producing oxygen',
    supportText: 'System error ("Error - service required"): a compressor, valve or sensor fault shut the unit down',
    action: 'Reach the patient now: backup oxygen, then exchange the concentrator',
  },
  E08: {
    code: 'E08',
    severity: 'info',
    providerText: 'Column change due',
    supportText: 'Sieve columns near the end of their expected life (one year)',
    action: 'Schedule a column change at the next visit',
  },
  E09: {
    code: 'E09',
    severity: 'minor',
    providerText: 'Power supply fault',
    supportText: 'External power supply error: input voltage out of range or the adapter failed',
    action: 'Ask the patient to try another outlet or adapter; replace the power supply',
  },
};

const FAMILIES: Record<string, string[]> = {
  'Inogen One G3': ['E01', 'E02', 'E03', 'E04', 'E05', 'E06', 'E07', 'E09'],
  'Inogen One G4': ['E01', 'E02', 'E03', 'E04', 'E05', 'E06', 'E07', 'E08', 'E09'],
  'Inogen One G5': ['E01', 'E02', 'E03', 'E04', 'E05', 'E06', 'E07', 'E08', 'E09'],
};

export const SHIPPED_CATALOG: readonly CatalogEntry[] = Object.entries(FAMILIES).flatMap(([model, codes]) =>
  codes.map((code) => ({ model, ...ALERTS[code] })),
);

/** What an alarm of a code missing from the catalog says. */
export const unknownCodeText = (code: string): string => `Unknown error code ${code}`;
export const OFFLINE_TEXT = 'The device has not reported for longer than expected';
