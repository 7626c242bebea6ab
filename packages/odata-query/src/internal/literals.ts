/** Scanning and checking of the literal forms that are not strings: GUIDs, dates, date-times. */

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** True for 0-9, a-f, A-F. */
export function isHexDigit(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70);
}

/** True for the characters an identifier may continue with: letters, digits, `_`. */
export function isWordChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95
  );
}

/** True when the 36 characters at `pos` have the shape of a GUID (8-4-4-4-12 hex digits). */
export function guidShapeAt(src: string, pos: number, end: number): boolean {
  if (pos + 36 > end) return false;
  for (let i = 0; i < 36; i++) {
    const code = src.charCodeAt(pos + i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (code !== 45) return false;
    } else if (!isHexDigit(code)) {
      return false;
    }
  }
  return true;
}

/** True when a GUID (8-4-4-4-12 hex digits) starts at `pos` and is not followed by a word character. */
export function guidAt(src: string, pos: number, end: number): boolean {
  return guidShapeAt(src, pos, end) && (pos + 36 >= end || !isWordChar(src.charCodeAt(pos + 36)));
}

function digitsAt(src: string, pos: number, count: number): number {
  let value = 0;
  for (let i = 0; i < count; i++) {
    const code = src.charCodeAt(pos + i);
    if (!isDigit(code)) return -1;
    value = value * 10 + (code - 48);
  }
  return value;
}

/** True when `YYYY-MM-DD` starts at `pos` (the shape only; see {@link validDate}). */
export function dateShapeAt(src: string, pos: number, end: number): boolean {
  return (
    pos + 10 <= end &&
    digitsAt(src, pos, 4) >= 0 &&
    src.charCodeAt(pos + 4) === 45 &&
    digitsAt(src, pos + 5, 2) >= 0 &&
    src.charCodeAt(pos + 7) === 45 &&
    digitsAt(src, pos + 8, 2) >= 0
  );
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** True when the date shape at `pos` names a real calendar day. */
export function validDate(src: string, pos: number): boolean {
  const year = digitsAt(src, pos, 4);
  const month = digitsAt(src, pos + 5, 2);
  const day = digitsAt(src, pos + 8, 2);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * Scans the time part of a date-time starting at the `T` at `pos`:
 * `Thh:mm[:ss[.fff]][Z|(+|-)hh:mm]`. Returns the end offset, or -1 when it is malformed or out of range.
 */
export function scanTime(src: string, pos: number, end: number): number {
  let p = pos + 1;
  const hour = p + 5 <= end ? digitsAt(src, p, 2) : -1;
  if (hour < 0 || hour > 23 || src.charCodeAt(p + 2) !== 58) return -1;
  const minute = digitsAt(src, p + 3, 2);
  if (minute < 0 || minute > 59) return -1;
  p += 5;
  if (p < end && src.charCodeAt(p) === 58) {
    const second = p + 3 <= end ? digitsAt(src, p + 1, 2) : -1;
    if (second < 0 || second > 59) return -1;
    p += 3;
    if (p < end && src.charCodeAt(p) === 46) {
      p++;
      const fractionStart = p;
      while (p < end && isDigit(src.charCodeAt(p))) p++;
      if (p === fractionStart) return -1;
    }
  }
  if (p < end) {
    const code = src.charCodeAt(p);
    if (code === 90) {
      p++;
    } else if (code === 43 || code === 45) {
      const offsetHour = p + 6 <= end ? digitsAt(src, p + 1, 2) : -1;
      if (offsetHour < 0 || offsetHour > 23 || src.charCodeAt(p + 3) !== 58) return -1;
      const offsetMinute = digitsAt(src, p + 4, 2);
      if (offsetMinute < 0 || offsetMinute > 59) return -1;
      p += 6;
    }
  }
  return p;
}

/**
 * Milliseconds since the epoch for an ISO date or date-time string (`2024-01-31`,
 * `2024-01-31T10:00:00.123Z`, `2024-01-31T10:00:00+02:00`; no offset means UTC), or NaN when the
 * text is not one. Hand-rolled because `Date.parse` is slow per row and reads offset-less times as local.
 */
export function isoToEpochMs(text: string): number {
  const end = text.length;
  if (!dateShapeAt(text, 0, end) || !validDate(text, 0)) return Number.NaN;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  if (end === 10) return Date.UTC(year, month - 1, day);
  const t = text.charCodeAt(10);
  if (t !== 84 && t !== 116 && t !== 32) return Number.NaN;
  const timeEnd = scanTime(text, 10, end);
  if (timeEnd !== end) return Number.NaN;
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  let p = 16;
  let second = 0;
  let millis = 0;
  if (p < end && text.charCodeAt(p) === 58) {
    second = digitsAt(text, p + 1, 2);
    p += 3;
    if (p < end && text.charCodeAt(p) === 46) {
      p++;
      let scale = 100;
      while (p < end && isDigit(text.charCodeAt(p))) {
        millis += (text.charCodeAt(p) - 48) * scale;
        scale /= 10;
        p++;
      }
      millis = Math.floor(millis);
    }
  }
  let offsetMinutes = 0;
  if (p < end) {
    const sign = text.charCodeAt(p);
    if (sign === 43 || sign === 45) {
      offsetMinutes = digitsAt(text, p + 1, 2) * 60 + digitsAt(text, p + 4, 2);
      if (sign === 45) offsetMinutes = -offsetMinutes;
    }
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}
