/**
 * A log line's trace link in the shipped dashboards, on every Grafana the stack may run (dashboards/trace-id-in-line.ts):
 * the Loki datasource links `trace_id` by label (Grafana 10.1 and later) and by the line (10.0, which matches derived
 * fields in the line only), and every log panel of the shipped dashboards writes the trace ID into the line it shows.
 * The screenshots run (test/screenshots/signal-links.ts) clicks the link in Grafana's UI.
 */
import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import { describe, expect, it } from 'vitest';
import { datasourceProvisioning } from '../../dashboards/datasources.js';
import { defaultDashboards } from '../../dashboards/defaults.js';
import { TRACE_ID_IN_LINE, TRACE_ID_IN_LINE_PATTERN } from '../../dashboards/trace-id-in-line.js';
import { defineStack } from '../../model/define.js';

const panelsOf = (d: Dashboard): Panel[] => (d.panels ?? []).flatMap((p) => (p.type === 'row' ? ((p as RowPanel).panels ?? []) : [p as Panel]));
const logPanels = defaultDashboards(defineStack({}, { environment: 'prod' })).flatMap((d) => panelsOf(d).filter((p) => p.type === 'logs').map((p) => ({ uid: d.uid!, panel: p })));
const loki = (datasourceProvisioning({ logsUrl: 'http://loki:3100', tracesUrl: 'http://jaeger:16686' }) as { datasources: { uid: string; jsonData: { derivedFields?: Record<string, string>[] } }[] }).datasources.find(
  (d) => d.uid === 'loki',
)!;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('trace links of log lines', () => {
  it('every log panel of the shipped dashboards writes the trace ID into the line, last', () => {
    expect(logPanels.length).toBeGreaterThanOrEqual(3);
    for (const { uid, panel } of logPanels) {
      const expr = ((panel.targets ?? [])[0] as unknown as { expr: string }).expr;
      expect(expr.endsWith(` ${TRACE_ID_IN_LINE}`), `${uid}: ${panel.title}: ${expr}`).toBe(true);
    }
  });

  it('the line a panel shows ends with trace_id=<id>, and the datasource\'s line matcher takes the ID from it', () => {
    // What Loki's line_format template writes for a line with the structured metadata trace_id (and one without).
    expect(TRACE_ID_IN_LINE).toBe('| line_format "{{ __line__ }}{{ if .trace_id }} trace_id={{ .trace_id }}{{ end }}"');
    const shown = `request failed trace_id=${TRACE_ID}`;
    const byLine = loki.jsonData.derivedFields!.find((f) => f['matcherType'] === 'regex')!;
    expect(byLine.matcherRegex).toBe(TRACE_ID_IN_LINE_PATTERN);
    expect(shown.match(new RegExp(byLine.matcherRegex!))?.[1]).toBe(TRACE_ID);
    expect('request completed'.match(new RegExp(byLine.matcherRegex!))).toBeNull();
  });

  it('both derived fields open the trace in Jaeger with the matched ID, labelled "View trace"', () => {
    const fields = loki.jsonData.derivedFields!;
    expect(fields.map((f) => [f['name'], f['matcherType'], f['matcherRegex']])).toEqual([
      ['TraceID', 'label', 'trace_id'],
      ['Trace', 'regex', TRACE_ID_IN_LINE_PATTERN],
    ]);
    for (const field of fields) expect(field).toMatchObject({ datasourceUid: 'jaeger', url: '$${__value.raw}', urlDisplayLabel: 'View trace' });
  });

  it('without Jaeger there is no trace link', () => {
    const alone = (datasourceProvisioning({ logsUrl: 'http://loki:3100' }) as { datasources: { jsonData: { derivedFields?: unknown } }[] }).datasources[0]!;
    expect(alone.jsonData.derivedFields).toBeUndefined();
  });
});

describe('the logs link of a span', () => {
  const jaeger = (datasourceProvisioning({ logsUrl: 'http://loki:3100', tracesUrl: 'http://jaeger:16686' }) as { datasources: { uid: string; jsonData: { tracesToLogsV2?: { datasourceUid: string; customQuery: boolean; query: string } } }[] }).datasources.find(
    (d) => d.uid === 'jaeger',
  )!;

  it('asks Loki for the lines of the span\'s trace, with no span tag Jaeger may lack (service.name is not among them)', () => {
    const link = jaeger.jsonData.tracesToLogsV2!;
    expect(link).toMatchObject({ datasourceUid: 'loki', customQuery: true });
    // Grafana disables the link when a variable of the query is not set on the span; Jaeger keeps service.name in the
    // process's serviceName, not in its tags, so `${__span.tags["service.name"]}` never is.
    expect(link.query).toBe('{service_name=~".+"} | trace_id="$${__span.traceId}"');
    expect([...link.query.matchAll(/\$\$\{([^}]+)\}/g)].map((m) => m[1])).toEqual(['__span.traceId']);
  });
});
