// The Prometheus text exposition format, version 0.0.4, as a scraper (vmagent, the collector's
// prometheus receiver) reads /metrics. Source: prometheus.io/docs/instrumenting/exposition_formats/
// ("Text-based format"): `# HELP name text`, `# TYPE name counter|gauge|histogram|summary|untyped`,
// then samples `name{label="value",...} value [timestamp]`, one per line.

/** `text/plain`, optionally with `version=0.0.4`: scrapers read a bare text/plain as this format. */
export const prometheusTextContentType = /^text\/plain(?:$|;(?: ?version=0\.0\.4)?)/;

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  types: Map<string, string>;
  samples: Sample[];
}

const metricName = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const labelPair = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
const sampleLine = new RegExp(`^(${metricName})(?:\\{((?:${labelPair})(?:,${labelPair})*,?)?\\})? (\\S+)(?: -?\\d+)?$`);
const typeLine = new RegExp(`^# TYPE (${metricName}) (counter|gauge|histogram|summary|untyped)$`);
const helpLine = new RegExp(`^# HELP ${metricName} .*$`);
const sampleValue = /^(?:[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)|[-+]?Inf|NaN)$/;

/** Parses an exposition; throws naming the first line that breaks the format. */
export function parsePrometheusText(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  text.split('\n').forEach((line, index) => {
    if (line === '' || helpLine.test(line)) return;
    const type = typeLine.exec(line);
    if (type) return void types.set(type[1]!, type[2]!);
    if (line.startsWith('#')) return; // other comments are allowed
    const sample = sampleLine.exec(line);
    if (!sample || !sampleValue.test(sample[3]!)) throw new Error(`line ${index + 1} is not a Prometheus sample: ${line}`);
    const labels = Object.fromEntries([...(sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
    samples.push({ name: sample[1]!, labels, value: Number(sample[3]!.replace(/Inf$/, 'Infinity')) });
  });
  return { types, samples };
}
