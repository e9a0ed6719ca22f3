// MySQL 8.0.19 and later take offsets from -13:59 to +14:00.
const MIN_OFFSET = -(13 * 60 + 59);
const MAX_OFFSET = 14 * 60;
// Longer digit runs cannot be in range; the bound keeps Number() exact.
const OFFSET = /^([+-])(\d{1,4}):(\d{1,4})$/;

/**
 * A time_zone value as MySQL shows it, or null when MySQL would refuse it
 * (ERR 1298): `SYSTEM` in any letter case, an offset (`+1:00` shows as
 * `+01:00`), or a named zone. MySQL knows named zones only once its time
 * zone tables are loaded; this server knows those of its ICU data, and
 * keeps the name as written.
 */
export function timeZoneValue(text: string): string | null {
  if (text.toUpperCase() === 'SYSTEM') return 'SYSTEM';
  const offset = OFFSET.exec(text);
  if (offset) {
    const hours = Number(offset[2]);
    const minutes = Number(offset[3]);
    const total = (offset[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
    if (minutes > 59 || total < MIN_OFFSET || total > MAX_OFFSET) return null;
    const abs = Math.abs(total);
    const hh = String(Math.floor(abs / 60)).padStart(2, '0');
    const mm = String(abs % 60).padStart(2, '0');
    return `${total < 0 ? '-' : '+'}${hh}:${mm}`;
  }
  if (text.length === 0 || text.length > 64 || !/^[A-Za-z]/.test(text)) return null;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: text });
    return text;
  } catch {
    return null;
  }
}
