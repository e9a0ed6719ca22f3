/** Longest text of a finite double: `-1.2345678901234567e-308`. */
export const MAX_NUMBER_TEXT = 24;

/** A finite number as MySQL writes a DOUBLE in a text row: `1e308`, not JavaScript's `1e+308`. */
export function numberText(value: number): string {
  const text = String(value);
  return text.includes('e+') ? text.replace('e+', 'e') : text;
}
