import { describe, expect, it } from 'vitest';
import { dateReader, isDateFormat } from './import.dates.ts';

const iso = (date: Date | undefined) => date?.toISOString();

describe('reading dates', () => {
  it('reads ISO dates, with or without a zone, as UTC unless a zone is given', () => {
    const read = dateReader('ISO', 'UTC');
    expect(iso(read('2024-03-01'))).toBe('2024-03-01T00:00:00.000Z');
    expect(iso(read('2024-03-01 14:05'))).toBe('2024-03-01T14:05:00.000Z');
    expect(iso(read('2024-03-01T14:05:00.000+0000'))).toBe('2024-03-01T14:05:00.000Z');
    expect(iso(read('2024-03-01T14:05:00+02:00'))).toBe('2024-03-01T12:05:00.000Z');
    expect(iso(read('2024-03-01T14:05:00Z'))).toBe('2024-03-01T14:05:00.000Z');
  });

  it('reads a pattern, with or without leading zeros, and the date alone when the time is missing', () => {
    const read = dateReader('MM/DD/YYYY HH:mm', 'UTC');
    expect(iso(read('4/8/2025 17:19'))).toBe('2025-04-08T17:19:00.000Z');
    expect(iso(read('04/08/2025 17:19:30'))).toBe('2025-04-08T17:19:30.000Z');
    expect(iso(read('4/8/2025'))).toBe('2025-04-08T00:00:00.000Z');
    expect(iso(read('2025-04-08'))).toBe('2025-04-08T00:00:00.000Z');
  });

  it('reads DD-MM-YYYY and 12-hour times', () => {
    expect(iso(dateReader('DD-MM-YYYY', 'UTC')('01-02-2018'))).toBe('2018-02-01T00:00:00.000Z');
    expect(iso(dateReader('D/M/YYYY H:mm A', 'UTC')('8/4/2025 5:19 PM'))).toBe('2025-04-08T17:19:00.000Z');
  });

  it('refuses dates that do not exist', () => {
    const read = dateReader('DD-MM-YYYY', 'UTC');
    expect(read('31-02-2018')).toBeUndefined();
    expect(read('29-02-2019')).toBeUndefined();
    expect(iso(read('29-02-2020'))).toBe('2020-02-29T00:00:00.000Z');
    expect(read('2018-02-31')).toBeUndefined();
    expect(read('01-13-2018')).toBeUndefined();
    expect(read('yesterday')).toBeUndefined();
    expect(dateReader('MM/DD/YYYY HH:mm', 'UTC')('4/8/2025 24:10')).toBeUndefined();
  });

  it('turns wall-clock times of a zone into UTC, across daylight-saving changes', () => {
    const paris = dateReader('DD.MM.YYYY HH:mm', 'Europe/Paris');
    expect(iso(paris('15.01.2025 10:00'))).toBe('2025-01-15T09:00:00.000Z');
    expect(iso(paris('15.07.2025 10:00'))).toBe('2025-07-15T08:00:00.000Z');
    const saoPaulo = dateReader('DD-MM-YYYY HH:mm', 'America/Sao_Paulo');
    // Brazil kept daylight-saving time until 2019: UTC-2 in January 2018, UTC-3 in June.
    expect(iso(saoPaulo('26-01-2018 19:58'))).toBe('2018-01-26T21:58:00.000Z');
    expect(iso(saoPaulo('05-06-2018 17:27'))).toBe('2018-06-05T20:27:00.000Z');
    // An explicit offset wins over the zone.
    expect(iso(dateReader('ISO', 'Europe/Paris')('2025-01-15T10:00:00Z'))).toBe('2025-01-15T10:00:00.000Z');
  });

  it('knows which formats it can read', () => {
    expect(isDateFormat('ISO')).toBe(true);
    expect(isDateFormat('DD-MM-YYYY')).toBe(true);
    expect(isDateFormat('MM/DD/YYYY HH:mm')).toBe(true);
    expect(isDateFormat('YYYY')).toBe(false);
    expect(isDateFormat('dd/mm/yy')).toBe(false);
  });
});
