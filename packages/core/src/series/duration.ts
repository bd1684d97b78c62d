import { ValidationError } from '../errors';

const UNITS = [
  { unit: 'y', ms: 365 * 24 * 3_600_000 },
  { unit: 'w', ms: 7 * 24 * 3_600_000 },
  { unit: 'd', ms: 24 * 3_600_000 },
  { unit: 'h', ms: 3_600_000 },
  { unit: 'm', ms: 60_000 },
  { unit: 's', ms: 1_000 },
  { unit: 'ms', ms: 1 },
] as const;

const DURATION_PATTERN = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/**
 * Parses a duration the way Prometheus writes them and returns milliseconds: whole numbers followed by a unit, units
 * from largest to smallest and each at most once: `y` (365 days), `w`, `d`, `h`, `m`, `s`, `ms`. So `30s`, `5m`,
 * `1h30m`, `7d`, `1w2d` and `1500ms` are valid, and so is a bare `0`. Fractions (`1.5h`), signs, spaces, unit
 * repeats (`1h1h`) and out-of-order units (`30m1h`) are rejected.
 *
 * @param path - Field path used in the error, such as `objectives[0].window`.
 * @throws ValidationError when the text is not a valid duration or exceeds Number.MAX_SAFE_INTEGER milliseconds.
 * @example
 * parseDuration('5m'); // 300000
 * parseDuration('1h30m'); // 5400000
 * parseDuration('7d'); // 604800000
 */
export function parseDuration(text: string, path = 'duration'): number {
  if (typeof text !== 'string') throw new ValidationError(path, 'a duration string such as "30s", "5m" or "1h30m"', text);
  if (text === '0') return 0;
  const match = text === '' ? null : DURATION_PATTERN.exec(text);
  if (match === null) throw new ValidationError(path, 'a duration such as "30s", "5m", "1h30m" or "7d" (units y w d h m s ms, largest first)', text);
  let total = 0;
  for (let i = 0; i < UNITS.length; i++) {
    const digits = match[i + 1];
    if (digits !== undefined) total += Number(digits) * (UNITS[i] as (typeof UNITS)[number]).ms;
  }
  if (!Number.isSafeInteger(total)) throw new ValidationError(path, `a duration of at most ${Number.MAX_SAFE_INTEGER} ms`, text);
  return total;
}

/**
 * Formats milliseconds as a Prometheus duration, largest units first, leaving out zero parts: `90 * 60_000` gives
 * `1h30m`, `0` gives `0s`, `604_800_000` gives `1w`. Fractions of a millisecond are rounded; negative durations get
 * a leading `-`. `parseDuration(formatDuration(ms)) === ms` for every non-negative whole `ms`.
 *
 * @throws ValidationError when `ms` is not a finite number.
 * @example
 * formatDuration(300_000); // "5m"
 * formatDuration(5_400_000); // "1h30m"
 * formatDuration(1_500); // "1s500ms"
 */
export function formatDuration(ms: number): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new ValidationError('ms', 'a finite number of milliseconds', ms);
  let rest = Math.round(Math.abs(ms));
  if (rest === 0) return '0s';
  let text = '';
  for (const { unit, ms: size } of UNITS) {
    if (rest >= size) {
      const count = Math.floor(rest / size);
      text += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return ms < 0 ? `-${text}` : text;
}
