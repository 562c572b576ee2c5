/**
 * The numbers in a time of day (`HH:MM` or `HH:MM:SS`, up to 24:00) or a date (`YYYY-MM-DD`), as
 * settings and parameters store them. Both were validated where they entered (zod), so text of
 * another shape here is a bug and throws instead of turning into NaN.
 */
export function timeOfDay(text: string): [hours: number, minutes: number, seconds: number] {
  const match = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!match) throw new RangeError(`Not a time of day: ${text}`);
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

/** Year, month (1–12) and day of a `YYYY-MM-DD` date. */
export function calendarDate(text: string): [year: number, month: number, day: number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) throw new RangeError(`Not a date: ${text}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}
