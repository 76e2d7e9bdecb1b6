import {
  addWorkingDays,
  calendarOf,
  firstWorkingDayFrom,
  isWorkingDay,
  lastDayOf,
  latestWorkingDayAt,
  takeChargeDueAt,
  withinOfficeHours,
  workingDaysBetween,
  workingEndOf,
} from './working-days.policy';

/** Instants are written with their Paris offset (+01:00 winter, +02:00 summer) so the table reads as wall-clock time. */
const at = (iso: string) => new Date(iso);

describe('calendarOf', () => {
  it.each([
    ['57', '57'],
    ['67', '67'],
    ['68', '68'],
    ['971', 'GP'],
    ['972', 'MQ'],
    ['973', 'GF'],
    ['974', 'RE'],
    ['976', 'YT'],
    [' 974 ', 'RE'],
    ['75', ''],
    ['2A', ''],
    ['01', ''],
  ])('%s → "%s"', (code, expected) => {
    expect(calendarOf(code)).toBe(expected);
  });
});

describe('isWorkingDay', () => {
  it.each([
    ["Jour de l'an, Thursday", '2026-01-01T12:00:00+01:00', false],
    ['Easter Monday', '2026-04-06T12:00:00+02:00', false],
    ['Easter Monday on the DST-change weekend', '2027-03-29T12:00:00+02:00', false],
    ['1 May, Friday', '2026-05-01T12:00:00+02:00', false],
    ['8 May, Friday', '2026-05-08T12:00:00+02:00', false],
    ['Ascension, Thursday', '2026-05-14T12:00:00+02:00', false],
    ['Whit Monday (the library lists it as a holiday)', '2026-05-25T12:00:00+02:00', false],
    ['14 July, Tuesday', '2026-07-14T12:00:00+02:00', false],
    ['15 August, Friday', '2025-08-15T12:00:00+02:00', false],
    ['1 November, Monday', '2027-11-01T12:00:00+01:00', false],
    ['11 November, Wednesday', '2026-11-11T12:00:00+01:00', false],
    ['25 December, Friday', '2026-12-25T12:00:00+01:00', false],
    ['Saturday', '2026-07-11T12:00:00+02:00', false],
    ['Sunday', '2026-07-12T12:00:00+02:00', false],
    ['Monday before 14 July', '2026-07-13T12:00:00+02:00', true],
    ['Wednesday after 14 July', '2026-07-15T12:00:00+02:00', true],
    ['Tuesday after Whit Monday', '2026-05-26T12:00:00+02:00', true],
    ['Good Friday outside Alsace-Moselle', '2026-04-03T12:00:00+02:00', true],
    ['26 December outside Alsace-Moselle, Friday', '2025-12-26T12:00:00+01:00', true],
  ])('%s (%s) in 75 → %s', (_label, iso, expected) => {
    expect(isWorkingDay(at(iso), '75')).toBe(expected);
  });

  it.each([
    ['26 December 2025, Friday', '2025-12-26T12:00:00+01:00', '57', false],
    ['26 December 2025, Friday', '2025-12-26T12:00:00+01:00', '67', false],
    ['26 December 2025, Friday', '2025-12-26T12:00:00+01:00', '68', false],
    ['26 December 2025, Friday', '2025-12-26T12:00:00+01:00', '75', true],
    ['Good Friday 2026', '2026-04-03T12:00:00+02:00', '57', false],
    ['Good Friday 2026', '2026-04-03T12:00:00+02:00', '67', false],
    ['Good Friday 2026', '2026-04-03T12:00:00+02:00', '68', false],
    ['Good Friday 2026', '2026-04-03T12:00:00+02:00', '75', true],
    ['Good Friday 2027, before the DST change', '2027-03-26T12:00:00+01:00', '67', false],
    ['national holiday, 14 July', '2026-07-14T12:00:00+02:00', '67', false],
  ])('%s (%s) in %s → %s', (_label, iso, code, expected) => {
    expect(isWorkingDay(at(iso), code)).toBe(expected);
  });

  // Overseas départements keep the national days and add their own: the abolition of slavery, Good Friday in some.
  it.each([
    ['14 July', '2026-07-14T12:00:00+02:00', '971', false],
    ['14 July', '2026-07-14T12:00:00+02:00', '974', false],
    ['Good Friday', '2026-04-03T12:00:00+02:00', '971', false],
    ['Good Friday', '2026-04-03T12:00:00+02:00', '972', false],
    ['Good Friday', '2026-04-03T12:00:00+02:00', '973', true],
    ['Good Friday', '2026-04-03T12:00:00+02:00', '974', true],
    ['26 December', '2025-12-26T12:00:00+01:00', '974', true],
    ['27 April (abolition day in Mayotte), Monday', '2026-04-27T12:00:00+02:00', '976', false],
    ['27 April, Monday', '2026-04-27T12:00:00+02:00', '75', true],
    ['22 May (abolition day in Martinique), Friday', '2026-05-22T12:00:00+02:00', '972', false],
    ['22 May, Friday', '2026-05-22T12:00:00+02:00', '971', true],
    ['27 May (abolition day in Guadeloupe), Wednesday', '2026-05-27T12:00:00+02:00', '971', false],
    ['27 May, Wednesday', '2026-05-27T12:00:00+02:00', '972', true],
    ['10 June (abolition day in Guyane), Wednesday', '2026-06-10T12:00:00+02:00', '973', false],
    ['10 June, Wednesday', '2026-06-10T12:00:00+02:00', '974', true],
    ['20 December (abolition day in La Réunion), Monday', '2027-12-20T12:00:00+01:00', '974', false],
    ['20 December, Monday', '2027-12-20T12:00:00+01:00', '75', true],
    ['21 July (Victor Schœlcher day: observed, not a public holiday), Wednesday', '2027-07-21T12:00:00+02:00', '971', true],
  ])('overseas: %s (%s) in %s → %s', (_label, iso, code, expected) => {
    expect(isWorkingDay(at(iso), code)).toBe(expected);
  });

  it.each([
    ['13 July 23:59:59 Paris', '2026-07-13T21:59:59Z', true],
    ['14 July 00:30 Paris, still 13 July in UTC', '2026-07-13T22:30:00Z', false],
    ['15 July 00:30 Paris, still 14 July in UTC', '2026-07-14T22:30:00Z', true],
    ['1 January 00:30 Paris, still 31 December in UTC', '2025-12-31T23:30:00Z', false],
  ])('uses the Paris calendar day: %s (%s) → %s', (_label, iso, expected) => {
    expect(isWorkingDay(at(iso), '75')).toBe(expected);
  });

  it.each(['UTC', 'America/Santiago', 'Pacific/Auckland', 'Asia/Tehran'])(
    'gives the same answers when the process runs in %s',
    (timeZone) => {
      const saved = process.env.TZ;
      try {
        process.env.TZ = timeZone;
        jest.isolateModules(() => {
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          const policy = require('./working-days.policy') as typeof import('./working-days.policy');
          expect(policy.isWorkingDay(at('2027-03-29T12:00:00+02:00'), '75')).toBe(false); // Easter Monday
          expect(policy.isWorkingDay(at('2027-03-26T12:00:00+01:00'), '57')).toBe(false); // Good Friday
          expect(policy.isWorkingDay(at('2026-05-25T12:00:00+02:00'), '75')).toBe(false); // Whit Monday
          expect(policy.isWorkingDay(at('2026-07-13T22:30:00Z'), '75')).toBe(false); // 14 July 00:30 Paris
          expect(policy.isWorkingDay(at('2026-05-26T12:00:00+02:00'), '75')).toBe(true);
        });
      } finally {
        if (saved === undefined) delete process.env.TZ;
        else process.env.TZ = saved;
      }
    },
  );
});

describe('addWorkingDays', () => {
  it.each([
    ['within the week', '2026-07-06T10:00:00+02:00', 2, '75', '2026-07-08T10:00:00+02:00'],
    ['zero days on a working day', '2026-07-06T10:00:00+02:00', 0, '75', '2026-07-06T10:00:00+02:00'],
    ['keeps milliseconds', '2026-07-06T10:00:00.123+02:00', 1, '75', '2026-07-07T10:00:00.123+02:00'],
    ['Friday + 1 across a weekend', '2026-07-10T15:00:00+02:00', 1, '75', '2026-07-13T15:00:00+02:00'],
    ['Friday + 2 across a weekend and 14 July', '2026-07-10T15:00:00+02:00', 2, '75', '2026-07-15T15:00:00+02:00'],
    ['Thursday + 2 across 1 May and a weekend', '2026-04-30T11:00:00+02:00', 2, '75', '2026-05-05T11:00:00+02:00'],
    ['Friday + 1 across a weekend and Whit Monday', '2026-05-22T09:00:00+02:00', 1, '75', '2026-05-26T09:00:00+02:00'],
    ['starting on a Saturday counts from Monday 00:00', '2026-03-07T10:00:00+01:00', 2, '75', '2026-03-11T00:00:00+01:00'],
    ['zero days from a Saturday', '2026-03-07T10:00:00+01:00', 0, '75', '2026-03-09T00:00:00+01:00'],
    ['starting on 14 July counts from 15 July 00:00', '2026-07-14T09:00:00+02:00', 1, '75', '2026-07-16T00:00:00+02:00'],
    ['spring DST change keeps 15:00 Paris', '2026-03-27T15:00:00+01:00', 1, '75', '2026-03-30T15:00:00+02:00'],
    ['autumn DST change keeps 09:30 Paris', '2026-10-23T09:30:00+02:00', 2, '75', '2026-10-27T09:30:00+01:00'],
    ['starting on the DST Sunday', '2026-03-29T10:00:00+02:00', 1, '75', '2026-03-31T00:00:00+02:00'],
    ['Christmas Eve + 1 in 75 (26 December worked)', '2025-12-24T14:00:00+01:00', 1, '75', '2025-12-26T14:00:00+01:00'],
    ['Christmas Eve + 1 in 67 (26 December off)', '2025-12-24T14:00:00+01:00', 1, '67', '2025-12-29T14:00:00+01:00'],
    ['Maundy Thursday + 1 in 75 (Good Friday worked)', '2026-04-02T16:00:00+02:00', 1, '75', '2026-04-03T16:00:00+02:00'],
    ['Maundy Thursday + 1 in 57 (Good Friday and Easter Monday off)', '2026-04-02T16:00:00+02:00', 1, '57', '2026-04-07T16:00:00+02:00'],
    ['overseas 971 keeps the national days (14 July)', '2026-07-10T15:00:00+02:00', 2, '971', '2026-07-15T15:00:00+02:00'],
    ['Maundy Thursday + 1 in 974 (Good Friday worked)', '2026-04-02T16:00:00+02:00', 1, '974', '2026-04-03T16:00:00+02:00'],
    ['Maundy Thursday + 1 in 972 (Good Friday and Easter Monday off)', '2026-04-02T16:00:00+02:00', 1, '972', '2026-04-07T16:00:00+02:00'],
    ['Friday + 1 in 974 across a weekend and 20 December', '2027-12-17T10:00:00+01:00', 1, '974', '2027-12-21T10:00:00+01:00'],
    ['the same in 75 (20 December worked)', '2027-12-17T10:00:00+01:00', 1, '75', '2027-12-20T10:00:00+01:00'],
    // Overseas, days begin and end on the local clock: Friday 22:30 in Paris is already Saturday in La Réunion.
    ['Friday night in Paris, Saturday in 974: from Monday 00:00 there', '2026-12-04T22:30:00+01:00', 1, '974', '2026-12-08T00:00:00+04:00'],
    ['the same instant in 75: a Friday', '2026-12-04T22:30:00+01:00', 1, '75', '2026-12-07T22:30:00+01:00'],
    ['Monday 01:00 in Paris, still Sunday in 971', '2026-12-07T01:00:00+01:00', 1, '971', '2026-12-08T00:00:00-04:00'],
    ['974 keeps 10:00 local across the Paris DST change', '2026-03-27T10:00:00+04:00', 1, '974', '2026-03-30T10:00:00+04:00'],
    ['a whole year: 252 working days in 2026', '2025-12-31T12:00:00+01:00', 252, '75', '2026-12-31T12:00:00+01:00'],
  ])('%s: %s + %d in %s → %s', (_label, start, days, code, expected) => {
    expect(addWorkingDays(at(start), days, code).toISOString()).toBe(at(expected).toISOString());
  });

  it.each([
    ['a negative count', at('2026-07-06T10:00:00+02:00'), -1],
    ['a fractional count', at('2026-07-06T10:00:00+02:00'), 1.5],
    ['an invalid date', new Date('not a date'), 1],
  ])('rejects %s', (_label, start, days) => {
    expect(() => addWorkingDays(start, days, '75')).toThrow(RangeError);
  });
});

describe('workingEndOf and lastDayOf', () => {
  it.each([
    ['Monday 00:00 after a weekend: Friday 24:00', '2026-12-07T00:00:00+01:00', '75', '2026-12-05T00:00:00+01:00', '2026-12-04'],
    ['Tuesday 00:00: Monday 24:00, itself', '2026-12-08T00:00:00+01:00', '75', '2026-12-08T00:00:00+01:00', '2026-12-07'],
    ['Monday 09:00: itself', '2026-12-07T09:00:00+01:00', '75', '2026-12-07T09:00:00+01:00', '2026-12-07'],
    ['Monday 28 December 00:00 after Christmas Friday', '2026-12-28T00:00:00+01:00', '75', '2026-12-25T00:00:00+01:00', '2026-12-24'],
    ['the same in Alsace, 26 December off (2025, a Friday)', '2025-12-29T00:00:00+01:00', '67', '2025-12-25T00:00:00+01:00', '2025-12-24'],
    ['the same outside Alsace', '2025-12-29T00:00:00+01:00', '75', '2025-12-27T00:00:00+01:00', '2025-12-26'],
    ['Monday 00:00 at La Réunion, not midnight in Paris', '2026-12-07T00:00:00+04:00', '974', '2026-12-05T00:00:00+04:00', '2026-12-04'],
    ['Monday 00:00 Paris is 01:00 at La Réunion: itself', '2026-12-07T00:00:00+01:00', '974', '2026-12-07T00:00:00+01:00', '2026-12-07'],
    ['no département: the national calendar, Paris time', '2026-12-07T00:00:00+01:00', null, '2026-12-05T00:00:00+01:00', '2026-12-04'],
  ])('%s', (_label, deadline, code, end, lastDay) => {
    expect(workingEndOf(at(deadline), code).toISOString()).toBe(at(end).toISOString());
    expect(lastDayOf(code, at(deadline))).toBe(lastDay);
  });
});

describe('latestWorkingDayAt', () => {
  it.each([
    ['after the hour on a working day: today', '2026-12-03T10:15:00+01:00', 8, '75', '2026-12-03T08:00:00+01:00'],
    ['exactly the hour: today', '2026-12-03T08:00:00+01:00', 8, '75', '2026-12-03T08:00:00+01:00'],
    ['before the hour: the working day before', '2026-12-03T07:59:59+01:00', 8, '75', '2026-12-02T08:00:00+01:00'],
    ['Monday before the hour: Friday', '2026-12-07T07:00:00+01:00', 8, '75', '2026-12-04T08:00:00+01:00'],
    ['on a Sunday: Friday', '2026-12-06T18:00:00+01:00', 8, '75', '2026-12-04T08:00:00+01:00'],
    ['Christmas Day: 24 December', '2026-12-25T12:00:00+01:00', 8, '75', '2026-12-24T08:00:00+01:00'],
    ['26 December worked in 75, but a Saturday in 2026', '2026-12-26T12:00:00+01:00', 8, '75', '2026-12-24T08:00:00+01:00'],
    ['26 December 2025 worked in 75', '2025-12-26T12:00:00+01:00', 8, '75', '2025-12-26T08:00:00+01:00'],
    ['26 December 2025 off in 67', '2025-12-26T12:00:00+01:00', 8, '67', '2025-12-24T08:00:00+01:00'],
    ['Monday after the spring DST change keeps 08:00 Paris', '2026-03-30T09:00:00+02:00', 8, '75', '2026-03-30T08:00:00+02:00'],
    ['Monday before the hour, back across the DST weekend', '2026-03-30T07:00:00+02:00', 8, '75', '2026-03-27T08:00:00+01:00'],
    ['08:00 in 974 is 05:00 in Paris', '2026-12-03T06:00:00+01:00', 8, '974', '2026-12-03T08:00:00+04:00'],
    ['08:00 in 972 is 13:00 in Paris', '2026-12-03T12:00:00+01:00', 8, '972', '2026-12-02T08:00:00-04:00'],
  ])('%s: %s at %d h in %s → %s', (_label, now, hour, code, expected) => {
    expect(latestWorkingDayAt(at(now), hour, code).toISOString()).toBe(at(expected).toISOString());
  });

  it.each([
    ['an hour past the day', 24],
    ['a fractional hour', 8.5],
  ])('rejects %s', (_label, hour) => {
    expect(() => latestWorkingDayAt(at('2026-12-03T10:00:00+01:00'), hour, '75')).toThrow(RangeError);
  });
});

describe('withinOfficeHours', () => {
  it.each([
    ['a weekday morning stays', '2026-12-08T10:00:00+01:00', '75', '2026-12-08T10:00:00+01:00'],
    ['09:00 sharp stays', '2026-12-08T09:00:00+01:00', '75', '2026-12-08T09:00:00+01:00'],
    ['16:59:59 stays', '2026-12-08T16:59:59+01:00', '75', '2026-12-08T16:59:59+01:00'],
    ['the night waits for 09:00 the same day', '2026-12-08T02:11:00+01:00', '75', '2026-12-08T09:00:00+01:00'],
    ['08:59:59 waits a second', '2026-12-08T08:59:59+01:00', '75', '2026-12-08T09:00:00+01:00'],
    ['17:00 is closed: the next morning', '2026-12-08T17:00:00+01:00', '75', '2026-12-09T09:00:00+01:00'],
    ['late evening: the next morning', '2026-12-08T23:30:00+01:00', '75', '2026-12-09T09:00:00+01:00'],
    ['Friday evening: Monday morning', '2026-12-11T17:30:00+01:00', '75', '2026-12-14T09:00:00+01:00'],
    ['Saturday afternoon: Monday morning', '2026-12-12T14:00:00+01:00', '75', '2026-12-14T09:00:00+01:00'],
    ['Christmas Eve evening: past 25 December and the weekend', '2026-12-24T18:00:00+01:00', '75', '2026-12-28T09:00:00+01:00'],
    ['1 May, a Friday: Monday 4 May', '2026-05-01T10:00:00+02:00', '75', '2026-05-04T09:00:00+02:00'],
    ['26 December 2025 is worked in Paris', '2025-12-26T10:00:00+01:00', '75', '2025-12-26T10:00:00+01:00'],
    ['26 December 2025 is off in Moselle: Monday 29', '2025-12-26T10:00:00+01:00', '57', '2025-12-29T09:00:00+01:00'],
    ['26 December 2025 is off in Bas-Rhin: Monday 29', '2025-12-25T20:00:00+01:00', '67', '2025-12-29T09:00:00+01:00'],
    ['10:00 in Paris is 13:00 in La Réunion: stays', '2026-12-08T10:00:00+01:00', '974', '2026-12-08T10:00:00+01:00'],
    ['14:00 in Paris is 17:00 in La Réunion: its next morning', '2026-12-08T14:00:00+01:00', '974', '2026-12-09T09:00:00+04:00'],
    ['06:00 in Paris is 09:00 in La Réunion: open there', '2026-12-08T06:00:00+01:00', '974', '2026-12-08T06:00:00+01:00'],
    ['20 December 2027 is off in La Réunion', '2027-12-20T10:00:00+04:00', '974', '2027-12-21T09:00:00+04:00'],
    ['20 December 2027 is worked in Paris', '2027-12-20T10:00:00+01:00', '75', '2027-12-20T10:00:00+01:00'],
    ['09:30 in Paris is 04:30 in Guadeloupe: 09:00 there', '2026-12-08T09:30:00+01:00', '971', '2026-12-08T09:00:00-04:00'],
    ['the spring DST weekend: Monday 09:00 summer time', '2026-03-28T10:00:00+01:00', '75', '2026-03-30T09:00:00+02:00'],
    ['in the spring gap itself (Sunday 02:30)', '2026-03-29T01:30:00Z', '75', '2026-03-30T09:00:00+02:00'],
    ['the autumn DST weekend: Monday 09:00 winter time', '2026-10-23T18:00:00+02:00', '75', '2026-10-26T09:00:00+01:00'],
    ['in the autumn overlap itself (Sunday 02:30, twice)', '2026-10-25T01:30:00Z', '75', '2026-10-26T09:00:00+01:00'],
  ])('%s: %s in %s → %s', (_label, date, code, expected) => {
    expect(withinOfficeHours(at(date), code).toISOString()).toBe(at(expected).toISOString());
  });
});

describe('takeChargeDueAt', () => {
  it.each([
    ['in office hours: same time, two working days on', '2026-12-01T10:30:00+01:00', 2, '38', '2026-12-03T10:30:00+01:00'],
    ['five working days', '2026-12-01T10:30:00+01:00', 5, '38', '2026-12-08T10:30:00+01:00'],
    ['06:00: at the opening', '2026-12-01T06:00:00+01:00', 2, '38', '2026-12-03T09:00:00+01:00'],
    ['a Saturday: from Monday 00:00, Wednesday’s opening, not midnight', '2026-12-05T11:00:00+01:00', 2, '38', '2026-12-09T09:00:00+01:00'],
    ['a Friday evening: Wednesday’s opening, not Tuesday evening', '2026-12-04T19:00:00+01:00', 2, '38', '2026-12-09T09:00:00+01:00'],
    ['a Friday afternoon: Tuesday, same time', '2026-12-04T16:30:00+01:00', 2, '38', '2026-12-08T16:30:00+01:00'],
    ['Christmas Eve’s eve, evening: past the holiday and the weekend', '2026-12-22T20:00:00+01:00', 2, '38', '2026-12-28T09:00:00+01:00'],
    ['Christmas Eve, in office hours: past the holiday and the weekend', '2026-12-24T10:00:00+01:00', 2, '38', '2026-12-29T10:00:00+01:00'],
    ['18:00 in La Réunion: at the opening there', '2026-12-01T18:00:00+04:00', 2, '974', '2026-12-04T09:00:00+04:00'],
    ['the same instant in Paris (15:00): in office hours', '2026-12-01T15:00:00+01:00', 2, '38', '2026-12-03T15:00:00+01:00'],
    ['a one-day deadline in the evening: the next opening', '2026-12-01T18:00:00+01:00', 1, '38', '2026-12-03T09:00:00+01:00'],
  ])('%s: %s, %d working days in %s → %s', (_label, assignedAt, days, code, expected) => {
    expect(takeChargeDueAt(at(assignedAt), days, code).toISOString()).toBe(at(expected).toISOString());
  });
});

describe('workingDaysBetween', () => {
  it.each([
    ['within a day, 6 hours', '2026-07-06T09:00:00+02:00', '2026-07-06T15:00:00+02:00', '75', 0.25],
    ['overnight between two working days', '2026-07-06T18:00:00+02:00', '2026-07-07T06:00:00+02:00', '75', 0.5],
    ['a day and a half', '2026-07-06T00:00:00+02:00', '2026-07-07T12:00:00+02:00', '75', 1.5],
    ['Friday noon to Monday noon, over a weekend', '2026-07-03T12:00:00+02:00', '2026-07-06T12:00:00+02:00', '75', 1],
    ['inside a weekend', '2026-07-04T10:00:00+02:00', '2026-07-05T20:00:00+02:00', '75', 0],
    ['Monday noon to Wednesday noon, across 14 July', '2026-07-13T12:00:00+02:00', '2026-07-15T12:00:00+02:00', '75', 1],
    ['from a holiday into the next day', '2026-07-14T08:00:00+02:00', '2026-07-15T06:00:00+02:00', '75', 0.25],
    ['over the spring DST weekend', '2026-03-27T12:00:00+01:00', '2026-03-30T12:00:00+02:00', '75', 1],
    ['over the autumn DST weekend (Friday and Monday)', '2026-10-23T00:00:00+02:00', '2026-10-27T00:00:00+01:00', '75', 2],
    ['26 December in 75', '2025-12-26T00:00:00+01:00', '2025-12-27T00:00:00+01:00', '75', 1],
    ['26 December in 67', '2025-12-26T00:00:00+01:00', '2025-12-27T00:00:00+01:00', '67', 0],
    ['the year 2026 in 75', '2026-01-01T00:00:00+01:00', '2027-01-01T00:00:00+01:00', '75', 252],
    [
      'the year 2026 in 57 (Good Friday off; 26 December is a Saturday)',
      '2026-01-01T00:00:00+01:00',
      '2027-01-01T00:00:00+01:00',
      '57',
      251,
    ],
    ['the year 2026 in 974', '2026-01-01T00:00:00+01:00', '2027-01-01T00:00:00+01:00', '974', 252],
    [
      'Friday 18:00 to 23:00 in Paris: 21:00 to 02:00 in 974, 3 of its Friday hours',
      '2026-12-04T18:00:00+01:00',
      '2026-12-04T23:00:00+01:00',
      '974',
      0.125,
    ],
    ['a working day of 972, its own midnight to midnight', '2026-12-08T00:00:00-04:00', '2026-12-09T00:00:00-04:00', '972', 1],
    ['2024 to 2027, four years (252 + 251 + 252 + 254)', '2024-01-01T00:00:00+01:00', '2028-01-01T00:00:00+01:00', '75', 1009],
    ['same instant', '2026-07-06T09:00:00+02:00', '2026-07-06T09:00:00+02:00', '75', 0],
    ['to before from', '2026-07-07T09:00:00+02:00', '2026-07-06T09:00:00+02:00', '75', 0],
  ])('%s: %s → %s in %s = %d', (_label, from, to, code, expected) => {
    expect(workingDaysBetween(at(from), at(to), code)).toBeCloseTo(expected, 10);
  });
});

describe('firstWorkingDayFrom', () => {
  it.each([
    ['a working day itself', '2026-12-15', '38', '2026-12-15'],
    ['a Saturday: the Monday', '2026-12-19', '38', '2026-12-21'],
    ['Christmas, then the weekend', '2026-12-25', '75', '2026-12-28'],
    // 20 December, the abolition of slavery, is a holiday in La Réunion alone.
    ['20 December 2027 in La Réunion', '2027-12-20', '974', '2027-12-21'],
    ['20 December 2027 in Paris', '2027-12-20', '75', '2027-12-20'],
  ])('%s', (_label, day, departmentCode, expected) => {
    expect(firstWorkingDayFrom(day, departmentCode)).toBe(expected);
  });
});
