import { parsePrometheusText } from '../contract/protocols/prometheus-text.js';

/**
 * Sums the samples of a metric in Prometheus text exposition, with or without the `_total` suffix that
 * newer exporters add to counters.
 */
export function sumMetric(text: string, name: string): number {
  return parsePrometheusText(text)
    .samples.filter((s) => s.name === name || s.name === `${name}_total`)
    .reduce((sum, s) => sum + s.value, 0);
}

export async function scrape(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}
