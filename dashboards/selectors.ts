/**
 * Label matcher values. A value is either a dashboard variable reference (`$service`, substituted by
 * Grafana, already a regex) or a literal, which is regex-escaped so `=~` matches exactly that value.
 */
export function regexValue(valueOrVariable: string): string {
  if (/^\$\{?\w+\}?$/.test(valueOrVariable)) return valueOrVariable;
  return quoteEscape(valueOrVariable.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

/** Escapes a value for a double-quoted PromQL/LogQL string. */
export function quoteEscape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** `{a=~"x", b="y"}` from matchers, dropping undefined ones. */
export function selector(...matchers: (string | undefined)[]): string {
  return `{${matchers.filter((m): m is string => m !== undefined).join(', ')}}`;
}
