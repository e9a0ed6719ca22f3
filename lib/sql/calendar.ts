// MySQL's calendar rules, for every reader of date text (binary rows' cells, procedure arguments).

/** The year a `digits`-digit year stands for: two digits or fewer are 1970-2069, as MySQL reads them. */
export const fullYear = (year: number, digits: number): number =>
  digits <= 2 ? (year < 70 ? 2000 + year : 1900 + year) : year;

// A table, not branches on the month: binary rows check every temporal cell with it.
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in `month` (1-12) of `year`, by the proleptic Gregorian calendar MySQL uses. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2 && ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1]!;
}
