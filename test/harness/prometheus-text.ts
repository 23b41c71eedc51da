/**
 * Sums the samples of a metric in Prometheus text exposition, with or without the `_total` suffix that
 * newer exporters add to counters, optionally only those whose labels contain `labels`.
 */
export function sumMetric(text: string, name: string, labels: Readonly<Record<string, string>> = {}): number {
  const pattern = new RegExp(`^${name}(?:_total)?(\\{[^}]*\\})?\\s+(\\S+)`, 'gm');
  let sum = 0;
  for (const match of text.matchAll(pattern)) {
    const labelText = match[1] ?? '';
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) sum += Number(match[2]);
  }
  return sum;
}

export async function scrape(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}
