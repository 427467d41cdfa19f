/** Full years between a YYYY-MM-DD birth date and `today` (UTC). */
export function ageOn(birthDate: string, today: Date): number {
  const [year, month, day] = birthDate.split('-').map(Number);
  const birthdayPassed =
    today.getUTCMonth() + 1 > month || (today.getUTCMonth() + 1 === month && today.getUTCDate() >= day);
  return today.getUTCFullYear() - year - (birthdayPassed ? 0 : 1);
}

// The governing policy (children's privacy): data of anyone under 16 is not kept.
export const MINIMUM_PATIENT_AGE = 16;
