/** Durations in the spec are written like `30s`, `15m`, `12h`, `7d`, `2w`, `1y` (365 days) or `500ms`. */
const UNIT_SECONDS = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 } as const;
type Unit = keyof typeof UNIT_SECONDS;

export const DURATION_PATTERN = /^(\d+)(ms|s|m|h|d|w|y)$/;

export function parseDuration(text: string): number {
  const match = DURATION_PATTERN.exec(text);
  if (!match) throw new Error(`expected a duration like "7d", got ${JSON.stringify(text)}`);
  return Number(match[1]) * UNIT_SECONDS[match[2] as Unit];
}

/** Whole hours, the form Go's time.Duration and Loki accept for long periods (e.g. `168h`). */
export function toHours(text: string): string {
  return `${Math.ceil(parseDuration(text) / 3600)}h`;
}

/** Whole days (VictoriaMetrics `-retentionPeriod`, where a bare number would mean months). */
export function toDays(text: string): string {
  return `${Math.ceil(parseDuration(text) / 86_400)}d`;
}

/** Go duration syntax (`5s`, `500ms`, `2h`) for sub-day values. */
export function toGoDuration(text: string): string {
  const seconds = parseDuration(text);
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
