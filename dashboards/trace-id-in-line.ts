/**
 * A log line's trace link in every Grafana the stack may run. OTLP logs carry the trace ID as Loki structured
 * metadata (`trace_id`), not in the line. Grafana 10.1 and later link it by label (a derived field with
 * `matcherType: 'label'`); Grafana 10.0 runs a derived field's regex over the line text only. So the shipped
 * dashboards' log panels append the trace ID to the line they show (` trace_id=<id>`, lines without one unchanged),
 * and the Loki datasource has a second derived field matching it there. On 10.1 and later a dashboard's line then
 * offers the same trace twice (by label and by line): harmless, and the line shows which trace it belongs to.
 */

/** LogQL stage appending ` trace_id=<id>` to lines that have a trace ID. */
export const TRACE_ID_IN_LINE = '| line_format "{{ __line__ }}{{ if .trace_id }} trace_id={{ .trace_id }}{{ end }}"';

/** The derived field's regex for it: the ID is its first group. */
export const TRACE_ID_IN_LINE_PATTERN = 'trace_id=(\\w+)';
