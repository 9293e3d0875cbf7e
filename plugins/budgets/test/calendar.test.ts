import { expect } from 'chai';
import { calendarWindow, isoInZone } from '../src/calendar.js';

const at = (iso: string) => Date.parse(iso);
const window = (...args: Parameters<typeof calendarWindow>) => {
  const w = calendarWindow(...args);
  return [isoInZone(w.start, args[1]), isoInZone(w.end, args[1])];
};

describe('calendar windows in a time zone', () => {
  it('start days at local midnight (Paris, New York), not at UTC midnight', () => {
    expect(window('day', 'Europe/Paris', at('2026-12-07T23:30:00Z'))).to.deep.equal(['2026-12-08T00:00:00+01:00', '2026-12-09T00:00:00+01:00']);
    expect(window('day', 'America/New_York', at('2026-12-08T03:00:00Z'))).to.deep.equal(['2026-12-07T00:00:00-05:00', '2026-12-08T00:00:00-05:00']);
    expect(window('day', 'UTC', at('2026-12-08T03:00:00Z'))).to.deep.equal(['2026-12-08T00:00:00+00:00', '2026-12-09T00:00:00+00:00']);
  });

  it('follow daylight saving: a 23-hour day in spring, a 25-hour day in autumn', () => {
    const spring = calendarWindow('day', 'America/New_York', at('2026-03-08T12:00:00Z'));
    expect(spring.end - spring.start).to.equal(23 * 3_600_000);
    expect(isoInZone(spring.end, 'America/New_York')).to.equal('2026-03-09T00:00:00-04:00');
    const autumn = calendarWindow('day', 'America/New_York', at('2026-11-01T12:00:00Z'));
    expect(autumn.end - autumn.start).to.equal(25 * 3_600_000);
    // 01:00–02:00 happens twice: one window of two hours, from the first 01:00, whichever one holds now.
    for (const now of ['2026-11-01T05:30:00Z', '2026-11-01T06:30:00Z']) {
      const repeated = calendarWindow('hour', 'America/New_York', at(now));
      expect([repeated.start, repeated.end]).to.deep.equal([at('2026-11-01T05:00:00Z'), at('2026-11-01T07:00:00Z')]);
    }
  });

  it('start weeks on Monday and months on the 1st, in the zone', () => {
    // Sunday 2026-12-13 23:30 in Paris is still the week of Monday the 7th.
    expect(window('week', 'Europe/Paris', at('2026-12-13T22:30:00Z'))).to.deep.equal(['2026-12-07T00:00:00+01:00', '2026-12-14T00:00:00+01:00']);
    expect(window('week', 'Europe/Paris', at('2026-12-13T23:30:00Z'))).to.deep.equal(['2026-12-14T00:00:00+01:00', '2026-12-21T00:00:00+01:00']);
    expect(window('month', 'Asia/Tokyo', at('2026-11-30T16:00:00Z'))).to.deep.equal(['2026-12-01T00:00:00+09:00', '2027-01-01T00:00:00+09:00']);
    expect(window('month', 'America/Los_Angeles', at('2026-03-01T07:59:00Z'))).to.deep.equal(['2026-02-01T00:00:00-08:00', '2026-03-01T00:00:00-08:00']);
  });

  it('align hours and minutes to the local clock, half-hour offsets included', () => {
    expect(window('hour', 'Asia/Kolkata', at('2026-12-07T10:10:00Z'))).to.deep.equal(['2026-12-07T15:00:00+05:30', '2026-12-07T16:00:00+05:30']);
    expect(window('minute', 'Asia/Kathmandu', at('2026-12-07T10:10:30Z'))).to.deep.equal(['2026-12-07T15:55:00+05:45', '2026-12-07T15:56:00+05:45']);
  });
});
