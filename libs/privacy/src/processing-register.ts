/**
 * The extract of the register of processing given with every export (GDPR art. 15(1), CCPA's categories
 * and purposes): what is held, why, from where, who receives it, and for how long.
 */
export const PROCESSING_REGISTER = {
  controller: 'the device manufacturer',
  categories: [
    {
      category: 'account',
      data: ['username', 'email', 'birth date'],
      purpose: 'running the patient account and the mobile app link',
      legalBasis: 'contract',
      source: 'the patient',
      retention: 'until erasure, or 5 years after the last activity',
    },
    {
      category: 'device telemetry',
      data: ['serial number', 'model', 'error codes', 'battery', 'flow setting', 'firmware', 'connection times'],
      purpose: 'device support, safety and maintenance',
      legalBasis: 'contract; legal obligation for medical-device vigilance',
      source: "the patient's device, relayed by the mobile app",
      retention: '24 months',
    },
    {
      category: 'location',
      data: ['device location fixes'],
      purpose: 'finding lost or stolen devices, nearest service office, shared with the supplying provider',
      legalBasis: 'consent (locationCollection, shareWithProvider), withdrawable at any time',
      source: "the mobile app's location service",
      retention: '24 months',
    },
    {
      category: 'consents and privacy requests',
      data: ['choices with their history', 'requests and their outcome'],
      purpose: 'proving and honouring the choices made',
      legalBasis: 'legal obligation',
      source: 'the patient',
      retention: 'as long as the account, then 5 years for accountability',
    },
    {
      category: 'accounting of disclosures',
      data: ['who read which data of the patient, when'],
      purpose: 'HIPAA accounting of disclosures; security',
      legalBasis: 'legal obligation',
      source: 'this service',
      retention: '6 years',
    },
  ],
  recipients: [
    'the home-care provider that supplied the device: serial, model, last connection, error code, last location, while shared',
    "the manufacturer's support, field service and privacy staff, each limited to what their role needs",
  ],
  sale: 'personal data is not sold; a sale opt-out is recorded and honoured by every export to third parties',
} as const;
