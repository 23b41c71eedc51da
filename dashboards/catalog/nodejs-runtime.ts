import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { observatoryDashboard } from '../dashboard.js';
import { timeSeriesPanel } from '../panels.js';
import { metricsQuery } from '../queries.js';
import { DASHBOARD_UID } from '../uids.js';
import { environmentVariable, serviceVariable } from '../variables.js';

/** Metrics of @opentelemetry/instrumentation-runtime-node, as VictoriaMetrics names them. */
const S = '{service_name=~"$service", deployment_environment_name=~"$environment"}';
/** `nodejs.eventloop.time` counts the loop's time in each state (active, idle): the two add up to 1 s per second. */
const ACTIVE_LOOP = '{service_name=~"$service", deployment_environment_name=~"$environment", nodejs_eventloop_state="active"}';
const NO_PROCESS_METRICS =
  'instrumentation-runtime-node reports no process CPU or RSS: on Kubernetes see the Kubernetes dashboard (pod CPU and memory), elsewhere add @opentelemetry/host-metrics.';

/** Node.js runtime: event loop, heap, GC and active resources per service. */
export function nodejsRuntimeDashboard(): Dashboard {
  const perService = (expr: string) => metricsQuery(expr, { legend: '{{service_name}}' });
  return observatoryDashboard({
    uid: DASHBOARD_UID.nodejsRuntime,
    title: 'Node.js runtime',
    description: `Event-loop lag and utilization, V8 heap, garbage collection and active handles of Node.js services. ${NO_PROCESS_METRICS}`,
    tags: ['nodejs', 'runtime'],
    variables: [environmentVariable('nodejs_eventloop_utilization_ratio'), serviceVariable('nodejs_eventloop_utilization_ratio')],
    rows: [
      {
        title: 'Event loop',
        panels: [
          timeSeriesPanel({
            title: 'Event-loop delay p50 / p99 / max',
            description: 'How late timers fire: time a callback waits for the busy loop. Sustained p99 above 100 ms makes every request slower; yellow from 50 ms, red from 100 ms.',
            unit: 's',
            min: 0,
            width: 12,
            legend: 'right',
            thresholds: [{ value: 0.05, color: 'yellow' }, { value: 0.1, color: 'red' }],
            queries: [
              metricsQuery(`max by (service_name) (nodejs_eventloop_delay_p50_seconds${S})`, { legend: 'p50 {{service_name}}' }),
              metricsQuery(`max by (service_name) (nodejs_eventloop_delay_p99_seconds${S})`, { legend: 'p99 {{service_name}}' }),
              metricsQuery(`max by (service_name) (nodejs_eventloop_delay_max_seconds${S})`, { legend: 'max {{service_name}}' }),
            ],
          }),
          timeSeriesPanel({
            title: 'Event-loop utilization',
            description: 'Share of time the event loop is busy (not idle waiting for I/O). Near 100 % the process is CPU-bound on its main thread; yellow from 70 %, red from 90 %.',
            unit: 'percentunit',
            min: 0,
            max: 1,
            width: 6,
            thresholds: [{ value: 0.7, color: 'yellow' }, { value: 0.9, color: 'red' }],
            queries: [perService(`max by (service_name) (nodejs_eventloop_utilization_ratio${S})`)],
          }),
          timeSeriesPanel({
            title: 'Event-loop busy time (main-thread CPU)',
            description: `Seconds per second the event loop spent running JavaScript: a stand-in for main-thread CPU use (1 = one core). ${NO_PROCESS_METRICS}`,
            unit: 'suffix: cores',
            min: 0,
            width: 6,
            queries: [perService(`sum by (service_name) (rate(nodejs_eventloop_time_seconds_total${ACTIVE_LOOP}[$__rate_interval]))`)],
          }),
        ],
      },
      {
        title: 'Memory and garbage collection',
        panels: [
          timeSeriesPanel({
            title: 'V8 heap used / heap size',
            description: `Heap in use and the heap V8 has reserved, summed over heap spaces. Used climbing towards size without falling back after GC suggests a leak. Not RSS: ${NO_PROCESS_METRICS}`,
            unit: 'bytes',
            min: 0,
            width: 12,
            legend: 'right',
            queries: [
              metricsQuery(`sum by (service_name) (v8js_memory_heap_used_bytes${S})`, { legend: 'used {{service_name}}' }),
              metricsQuery(`sum by (service_name) (v8js_memory_heap_space_size_bytes${S})`, { legend: 'size {{service_name}}' }),
            ],
          }),
          timeSeriesPanel({
            title: 'Time in garbage collection',
            description: 'Share of wall time spent in GC pauses, per GC type; GC types that did not run are not listed. Yellow from 5 %, red from 10 %: the process does little else.',
            unit: 'percentunit',
            min: 0,
            width: 12,
            legend: 'right',
            hideAllZeroSeries: true,
            thresholds: [{ value: 0.05, color: 'yellow' }, { value: 0.1, color: 'red' }],
            queries: [metricsQuery(`sum by (service_name, v8js_gc_type) (rate(v8js_gc_duration_seconds_sum${S}[$__rate_interval]))`, { legend: '{{service_name}} {{v8js_gc_type}}' })],
          }),
        ],
      },
      {
        title: 'GC pauses and handles',
        panels: [
          timeSeriesPanel({
            title: 'GC pause p99',
            description: 'The 99th percentile of a single GC pause: the worst stalls requests see. Red from 100 ms.',
            unit: 's',
            min: 0,
            width: 12,
            thresholds: [{ value: 0.1, color: 'red' }],
            queries: [perService(`histogram_quantile(0.99, sum by (service_name, le) (rate(v8js_gc_duration_seconds_bucket${S}[$__rate_interval])))`)],
          }),
          timeSeriesPanel({
            title: 'Active resources (handles)',
            description: 'Resources keeping the event loop alive (sockets, timers, file handles, ...). Steady growth means something is not closed.',
            unit: 'short',
            min: 0,
            width: 12,
            queries: [perService(`sum by (service_name) (v8js_resource_active${S})`)],
          }),
        ],
      },
    ],
  });
}
