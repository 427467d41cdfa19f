import { ageOn } from './age';

describe('ageOn', () => {
  const today = new Date('2026-11-22T12:00:00Z');

  it('counts a birthday today as a full year', () => {
    expect(ageOn('2010-11-22', today)).toBe(16);
  });

  it('does not count a birthday tomorrow', () => {
    expect(ageOn('2010-11-23', today)).toBe(15);
    expect(ageOn('2010-12-01', today)).toBe(15);
  });

  it('handles birthdays earlier in the year', () => {
    expect(ageOn('1950-01-31', today)).toBe(76);
  });
});
