import { describe, expect, it } from 'vitest';
import { addWorkingTime, DEFAULT_CALENDAR, deadlineStatus, isIsoDate, isWorkingDay, localDate, OFFICIAL_2026, pausedDeadline, workCalendar, workingAmountLabel, workingDayMs, workingMsBetween } from './workCalendar';

/** An instant written in China time. */
const cn = (local: string) => new Date(`${local}:00+08:00`);
const H = 3_600_000;
const cal = DEFAULT_CALENDAR;

describe('the 2026 official calendar', () => {
  it('holds the days of the State Council notice', () => {
    const holidays = OFFICIAL_2026.filter((d) => d.kind === 'holiday');
    const workdays = OFFICIAL_2026.filter((d) => d.kind === 'workday').map((d) => d.date);
    // 3 + 9 + 3 + 5 + 3 + 3 + 7 days off, 6 调休 working days.
    expect(holidays).toHaveLength(33);
    expect(workdays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    expect(holidays.filter((d) => d.name === '春节').map((d) => d.date)).toEqual(['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23']);
    expect(new Set(OFFICIAL_2026.map((d) => d.date)).size).toBe(OFFICIAL_2026.length);
    for (const d of OFFICIAL_2026) expect(isIsoDate(d.date)).toBe(true);
  });

  it('tells working days: holidays off, 调休 weekends on, ordinary weeks Monday–Friday', () => {
    const cases: [string, boolean][] = [
      ['2026-01-01', false], // 元旦, Thursday
      ['2026-01-02', false], // Friday of the 元旦 break
      ['2026-01-04', true], // Sunday, 调休上班
      ['2026-02-13', true], // Friday before 春节
      ['2026-02-14', true], // Saturday, 调休上班
      ['2026-02-16', false], // Monday of 春节
      ['2026-02-23', false], // last day of 春节, Monday
      ['2026-02-24', true],
      ['2026-02-28', true], // Saturday, 调休上班
      ['2026-03-01', false], // ordinary Sunday
      ['2026-03-02', true], // ordinary Monday
      ['2026-03-07', false], // ordinary Saturday
      ['2026-04-06', false], // 清明, Monday
      ['2026-05-05', false], // 劳动节, Tuesday
      ['2026-05-09', true], // Saturday, 调休上班
      ['2026-06-19', false], // 端午, Friday
      ['2026-09-20', true], // Sunday, 国庆调休上班
      ['2026-09-25', false], // 中秋, Friday
      ['2026-10-07', false], // 国庆, Wednesday
      ['2026-10-08', true], // Thursday after 国庆
      ['2026-10-10', true], // Saturday, 调休上班
      ['2026-10-11', false],
      ['2027-01-01', true], // a Friday of a year without data: Monday–Friday
      ['2027-01-02', false],
    ];
    for (const [date, working] of cases) expect([date, isWorkingDay(date, cal)]).toEqual([date, working]);
  });

  it('reads an instant in China time, not UTC', () => {
    expect(localDate(new Date('2026-09-30T16:30:00Z'))).toBe('2026-10-01');
    expect(isWorkingDay(new Date('2026-09-30T16:30:00Z'), cal)).toBe(false); // 00:30 on 10-01
    expect(isWorkingDay(new Date('2026-09-30T15:59:00Z'), cal)).toBe(true); // 23:59 on 09-30, a Wednesday
  });

  it('has 248 working days in 2026 (261 weekdays − 19 weekday holidays + 6 调休 days)', () => {
    let count = 0;
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 86_400_000) if (isWorkingDay(new Date(t).toISOString().slice(0, 10), cal)) count++;
    expect(count).toBe(248);
    expect(workingMsBetween(cn('2026-01-01T00:00'), cn('2027-01-01T00:00'), cal)).toBe(248 * 7 * H);
  });
});

describe('addWorkingTime in working hours (08:30–12:00, 14:30–18:00)', () => {
  const cases: [string, number, string, string][] = [
    ['2026-03-02T09:00', 2, '2026-03-02T11:00', 'inside the morning'],
    ['2026-03-02T11:00', 2, '2026-03-02T15:30', 'across the lunch break'],
    ['2026-03-02T10:00', 2, '2026-03-02T12:00', 'ending exactly at noon stays at noon'],
    ['2026-03-02T07:00', 1, '2026-03-02T09:30', 'start before office hours'],
    ['2026-03-02T13:00', 1, '2026-03-02T15:30', 'start in the lunch break'],
    ['2026-03-02T19:00', 2, '2026-03-03T10:30', 'start after office hours'],
    ['2026-03-06T17:00', 2, '2026-03-09T09:30', 'Friday evening runs over the weekend'],
    ['2026-03-07T10:00', 1, '2026-03-09T09:30', 'start on a Saturday'],
    ['2026-03-02T09:00', 7, '2026-03-03T09:00', 'a whole day of hours'],
    ['2026-09-24T17:00', 4, '2026-09-28T11:30', 'over 中秋 (Fri 25 – Sun 27)'],
    ['2026-09-30T16:00', 3, '2026-10-08T09:30', 'over 国庆 (1–7 October)'],
    ['2026-09-19T10:00', 1, '2026-09-20T09:30', 'a Saturday runs into the 调休 Sunday'],
    ['2026-10-09T17:00', 2, '2026-10-10T09:30', 'Friday into the 调休 Saturday'],
    ['2026-02-13T17:00', 2, '2026-02-14T09:30', 'into the 春节 调休 Saturday'],
    ['2026-02-14T17:00', 2, '2026-02-24T09:30', 'over the whole 春节 break'],
    ['2026-01-01T10:00', 1, '2026-01-04T09:30', '元旦 into its 调休 Sunday'],
  ];
  for (const [start, hours, due, why] of cases) {
    it(`${start} + ${hours} h → ${due} (${why})`, () => {
      expect(addWorkingTime(cn(start), { hours }, cal).toISOString()).toBe(cn(due).toISOString());
    });
  }

  it('adds nothing for zero and refuses negative or non-finite amounts', () => {
    const start = cn('2026-03-07T10:00');
    expect(addWorkingTime(start, { hours: 0 }, cal)).toEqual(start);
    expect(() => addWorkingTime(start, { hours: -1 }, cal)).toThrow(RangeError);
    expect(() => addWorkingTime(start, { hours: Number.NaN }, cal)).toThrow(RangeError);
    expect(() => addWorkingTime(start, { days: 1.5 }, cal)).toThrow(RangeError);
  });

  it('is the inverse of workingMsBetween from any start', () => {
    for (let t = cn('2026-09-18T00:00').getTime(); t < cn('2026-10-12T00:00').getTime(); t += 97 * 60_000) {
      for (const hours of [0.5, 3, 7, 20]) {
        const start = new Date(t);
        const due = addWorkingTime(start, { hours }, cal);
        expect(workingMsBetween(start, due, cal)).toBe(hours * H);
      }
    }
  });
});

describe('addWorkingTime in working days (close of business of the n-th working day after the start day)', () => {
  const cases: [string, number, string, string][] = [
    ['2026-03-02T10:00', 1, '2026-03-03T18:00', 'Monday → Tuesday'],
    ['2026-03-02T08:00', 1, '2026-03-03T18:00', 'start before office hours still skips its day'],
    ['2026-03-06T10:00', 1, '2026-03-09T18:00', 'Friday → Monday'],
    ['2026-03-07T10:00', 1, '2026-03-09T18:00', 'Saturday → Monday'],
    ['2026-09-23T10:00', 3, '2026-09-29T18:00', 'over 中秋'],
    ['2026-09-28T10:00', 5, '2026-10-10T18:00', 'over 国庆, ending on the 调休 Saturday'],
    ['2026-09-18T10:00', 1, '2026-09-20T18:00', 'Friday → the 调休 Sunday'],
    ['2026-02-12T10:00', 2, '2026-02-14T18:00', 'into the 春节 调休 Saturday'],
    ['2026-02-12T10:00', 3, '2026-02-24T18:00', 'over 春节'],
    ['2026-02-27T10:00', 1, '2026-02-28T18:00', 'Friday → the 调休 Saturday after 春节'],
    ['2026-12-31T10:00', 1, '2027-01-01T18:00', 'into a year without data (Monday–Friday)'],
  ];
  for (const [start, days, due, why] of cases) {
    it(`${start} + ${days} d → ${due} (${why})`, () => {
      expect(addWorkingTime(cn(start), { days }, cal).toISOString()).toBe(cn(due).toISOString());
    });
  }

  it('follows an edited calendar', () => {
    const edited = workCalendar([...OFFICIAL_2026, { date: '2026-03-03', kind: 'holiday', name: '临时停工' }]);
    expect(addWorkingTime(cn('2026-03-02T10:00'), { days: 1 }, edited).toISOString()).toBe(cn('2026-03-04T18:00').toISOString());
    const weekendWorked = workCalendar([{ date: '2026-03-07', kind: 'workday', name: '加班' }]);
    expect(addWorkingTime(cn('2026-03-06T10:00'), { days: 1 }, weekendWorked).toISOString()).toBe(cn('2026-03-07T18:00').toISOString());
  });

  it('honours other working hours', () => {
    const nineToFive = workCalendar(OFFICIAL_2026, [{ start: 9 * 60, end: 17 * 60 }]);
    expect(workingDayMs(nineToFive)).toBe(8 * H);
    expect(addWorkingTime(cn('2026-03-02T16:00'), { hours: 2 }, nineToFive).toISOString()).toBe(cn('2026-03-03T10:00').toISOString());
    expect(addWorkingTime(cn('2026-03-02T16:00'), { days: 1 }, nineToFive).toISOString()).toBe(cn('2026-03-03T17:00').toISOString());
    expect(() => workCalendar([], [{ start: 600, end: 500 }])).toThrow(RangeError);
    expect(() => workCalendar([], [])).toThrow(RangeError);
  });
});

describe('workingMsBetween', () => {
  it('counts only working spans of working days', () => {
    expect(workingMsBetween(cn('2026-03-02T09:00'), cn('2026-03-02T15:00'), cal)).toBe(3.5 * H);
    expect(workingMsBetween(cn('2026-03-02T12:10'), cn('2026-03-02T14:20'), cal)).toBe(0);
    expect(workingMsBetween(cn('2026-03-06T17:00'), cn('2026-03-09T09:00'), cal)).toBe(1.5 * H);
    expect(workingMsBetween(cn('2026-09-24T17:00'), cn('2026-09-28T11:30'), cal)).toBe(4 * H);
    // 春节 fortnight: Fri 13, Sat 14 (调休), Tue 24 – Fri 27, Sat 28 (调休) = 7 working days.
    expect(workingMsBetween(cn('2026-02-13T00:00'), cn('2026-03-01T00:00'), cal)).toBe(7 * 7 * H);
  });

  it('is negative when the end comes first, zero for the same instant', () => {
    expect(workingMsBetween(cn('2026-03-02T15:00'), cn('2026-03-02T09:00'), cal)).toBe(-3.5 * H);
    expect(workingMsBetween(cn('2026-03-02T09:00'), cn('2026-03-02T09:00'), cal)).toBe(0);
  });
});

describe('pausedDeadline (缓办)', () => {
  it('moves the deadline by the working time spent paused', () => {
    // Paused Thu 24 Sep 17:00, resumed Mon 28 Sep 11:30: 1 h + 3 h = 4 working hours.
    const moved = pausedDeadline(cn('2026-09-29T18:00'), cn('2026-09-24T17:00'), cn('2026-09-28T11:30'), cal);
    expect(moved.toISOString()).toBe(cn('2026-09-30T15:00').toISOString());
  });

  it('leaves the deadline alone when no working time passed (a weekend, a holiday)', () => {
    const deadline = cn('2026-03-10T18:00');
    expect(pausedDeadline(deadline, cn('2026-03-07T10:00'), cn('2026-03-08T20:00'), cal)).toEqual(deadline);
    expect(pausedDeadline(cn('2026-10-09T18:00'), cn('2026-10-01T09:00'), cn('2026-10-07T17:00'), cal)).toEqual(cn('2026-10-09T18:00'));
  });

  it('keeps an overdue incident overdue by the same working time', () => {
    const deadline = cn('2026-03-02T10:00');
    const from = cn('2026-03-02T11:00');
    const to = cn('2026-03-04T11:00');
    const moved = pausedDeadline(deadline, from, to, cal);
    expect(workingMsBetween(moved, to, cal)).toBe(workingMsBetween(deadline, from, cal));
  });
});

describe('deadlineStatus', () => {
  const deadline = cn('2026-03-09T18:00');
  it('is green with time to spare, amber under 4 working hours, red once past', () => {
    expect(deadlineStatus(deadline, cn('2026-03-06T10:00'), cal)).toEqual({ light: 'green', remainingWorkingMs: 12.5 * H, overdueWorkingMs: 0, overdue: false });
    expect(deadlineStatus(deadline, cn('2026-03-09T15:00'), cal)).toMatchObject({ light: 'amber', remainingWorkingMs: 3 * H });
    expect(deadlineStatus(deadline, cn('2026-03-09T18:00'), cal)).toMatchObject({ light: 'red', remainingWorkingMs: 0, overdue: true });
    expect(deadlineStatus(deadline, cn('2026-03-10T09:30'), cal)).toEqual({ light: 'red', remainingWorkingMs: 0, overdueWorkingMs: 1 * H, overdue: true });
  });

  it('is amber under 20 % of the allowed working time when the start is known', () => {
    // Started Mon 2 Mar 09:00 with 5 working days: 41.5 working hours allowed, 20 % = 8.3 h.
    const startedAt = cn('2026-03-02T09:00');
    expect(addWorkingTime(startedAt, { days: 5 }, cal)).toEqual(deadline);
    const now = cn('2026-03-09T09:00'); // 6.5 h left
    expect(deadlineStatus(deadline, now, cal, { startedAt })).toMatchObject({ light: 'amber', remainingWorkingMs: 6.5 * H });
    expect(deadlineStatus(deadline, now, cal)).toMatchObject({ light: 'green' });
    expect(deadlineStatus(deadline, cn('2026-03-06T16:00'), cal, { startedAt })).toMatchObject({ light: 'green', remainingWorkingMs: 9 * H });
  });

  it('counts remaining time on the working clock across a holiday', () => {
    // Wed 30 Sep 17:00 → Thu 8 Oct 10:00: 1 h + 1.5 h; a wall-clock count would say 185 h.
    expect(deadlineStatus(cn('2026-10-08T10:00'), cn('2026-09-30T17:00'), cal)).toMatchObject({ light: 'amber', remainingWorkingMs: 2.5 * H });
  });

  it('is paused while 缓办 and none without a deadline', () => {
    expect(deadlineStatus(deadline, cn('2026-03-10T09:30'), cal, { suspended: true })).toMatchObject({ light: 'paused', overdue: false });
    expect(deadlineStatus(null, cn('2026-03-10T09:30'), cal)).toEqual({ light: 'none', remainingWorkingMs: null, overdueWorkingMs: 0, overdue: false });
  });
});

describe('helpers', () => {
  it('validates dates and labels amounts', () => {
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-2-1')).toBe(false);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(workingAmountLabel(2, 'days')).toBe('2个工作日');
    expect(workingAmountLabel(8, 'hours')).toBe('8个工作小时');
  });
});
