import { describe, expect, it } from 'vitest';
import { defineStack } from '../../model/define.js';
import { environments } from '../../model/spec.js';
import { renderedRules as rulesOf } from '../helpers/rendered-rules.js';
import { specProblems } from '../helpers/spec-problems.js';

const problemsOf = (input: unknown) => specProblems(input);

const availability = { name: 'checkout-availability', service: 'checkout', objective: 99.5, sli: { kind: 'availability' as const } };

describe('slos in the stack spec', () => {
  it.each(environments)('only the local preset carries the sample app SLOs (%s)', (environment) => {
    const slos = defineStack({}, { environment }).slos;
    expect(slos).toEqual(
      environment === 'local'
        ? [
            { name: 'sample-front-availability', service: 'sample-front', objective: 99.9, window: '30d', sli: { kind: 'availability' } },
            { name: 'sample-front-latency', service: 'sample-front', objective: 99, window: '30d', sli: { kind: 'latency', thresholdMs: 500 } },
            {
              name: 'sample-front-work-success',
              service: 'sample-front',
              objective: 99.5,
              window: '30d',
              sli: { kind: 'ratio', good: 'sample_app_work_requests_total{service_name="sample-front", outcome="ok"}', total: 'sample_app_work_requests_total{service_name="sample-front"}' },
            },
          ]
        : [],
    );
  });

  it('replaces the example SLOs with the spec own list, and defaults the window to 30d', () => {
    expect(defineStack({ slos: [availability] }).slos).toEqual([{ ...availability, window: '30d' }]);
    expect(defineStack({ slos: [] }).slos).toEqual([]);
  });

  it('explains every bad field with its path', () => {
    const problems = problemsOf({
      slos: [
        { name: 'Checkout', service: '', objective: 100, window: '7x', sli: { kind: 'latency', thresholdMs: -1 } },
        { name: 'b', service: 'b', objective: 0, sli: { kind: 'freshness' } },
        { ...availability, extra: true },
      ],
    });
    expect(problems).toEqual([
      'slos[0].name: expected a DNS label (lowercase letters, digits, "-", at most 63), got "Checkout"',
      'slos[0].service: expected a service name, got ""',
      'slos[0].objective: expected an objective in percent between 0 and 100 (exclusive), got 100',
      'slos[0].window: expected a duration like "7d", got "7x"',
      'slos[0].sli.thresholdMs: expected a latency threshold in milliseconds above 0, got -1',
      'slos[1].objective: expected an objective in percent between 0 and 100 (exclusive), got 0',
      expect.stringMatching(/^slos\[1\]\.sli\.kind: expected an SLI kind of availability, latency or ratio/),
      'slos[2].extra: unknown key (known keys: name, service, objective, window, sli)',
    ]);
  });

  it('takes a good/total ratio of the service\'s own counters, refusing anything but counter selectors', () => {
    const ratio = { name: 'api-availability', service: 'api', objective: 99.5, sli: { kind: 'ratio' as const, good: 'http_requests_total{job="api", code!~"5.."}', total: 'http_requests_total{job="api"}' } };
    const spec = defineStack({ slos: [ratio] });
    const hourly = rulesOf(spec).find((r) => r.record === 'slo:sli_error:ratio_rate1h')!;
    expect(hourly.expr).toBe('1 - (\n  (sum(rate(http_requests_total{job="api", code!~"5.."}[1h])) or vector(0))\n  /\n  sum(rate(http_requests_total{job="api"}[1h]))\n)');
    expect(hourly.labels).toEqual({ slo: 'api-availability', service: 'api' });
    expect(problemsOf({ slos: [{ ...ratio, sli: { kind: 'ratio', good: 'sum(rate(x[5m]))', total: 'x{job=api}' } }] })).toEqual([
      'slos[0].sli.good: expected a counter selector like http_requests_total{code!~"5.."}, got "sum(rate(x[5m]))"',
      'slos[0].sli.total: expected a counter selector like http_requests_total{code!~"5.."}, got "x{job=api}"',
    ]);
  });

  it('asks for a list', () => {
    expect(problemsOf({ slos: 'x' })).toEqual(['slos: expected a list of SLOs ({ name, service, objective, sli }), got "x"']);
  });

  it('checks what only the whole list can tell: unique names, a long enough window, a real histogram bucket', () => {
    expect(problemsOf({ slos: [availability, availability] })).toEqual(['slos[1].name: duplicate SLO name "checkout-availability"']);
    expect(problemsOf({ slos: [{ ...availability, window: '1d' }] })).toEqual([
      'slos[0].window: an SLO window must be at least 3d (its slowest burn-rate alert looks back 3d), got "1d"',
    ]);
    // The fastest page fires above 14.4 × the budget over 30 days: an objective of 93 % (7 % budget) could never page.
    expect(problemsOf({ slos: [{ ...availability, objective: 93 }] })).toEqual([
      'slos[0].objective: over a 30d window the 1h burn-rate alert fires above 14.4 × the error budget, more than 100 % errors for an objective of 93 %: choose an objective above 93.0556 % or a shorter window, got 93',
    ]);
    expect(defineStack({ slos: [{ ...availability, objective: 93, window: '7d' }] }).slos[0]!.objective).toBe(93);
    expect(problemsOf({ slos: [{ ...availability, name: 'lat', sli: { kind: 'latency', thresholdMs: 300 } }] })).toEqual([
      'slos[0].sli.thresholdMs: a latency threshold must be a bucket bound of the span duration histogram (5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000 ms), got 300',
    ]);
  });
});

describe('alerting settings in the stack spec', () => {
  it('lets a receiver pick its severity routes, naming a bad one', () => {
    const spec = defineStack({ alerting: { receivers: [{ name: 'pager', type: 'pagerduty', routes: ['page'] }] } });
    expect(spec.alerting.receivers[0]!.routes).toEqual(['page']);
    expect(problemsOf({ alerting: { receivers: [{ name: 'pager', type: 'pagerduty', routes: ['pages'] }] } })).toEqual([
      'alerting.receivers[0].routes[0]: expected one of page, notify, ticket, got "pages"',
    ]);
    expect(problemsOf({ alerting: { receivers: [{ name: 'pager', type: 'pagerduty', routes: [] }] } })[0]).toMatch(
      /^alerting\.receivers\[0\]\.routes: expected at least one route \(page, notify, ticket\); leave the key out to take them all/,
    );
  });

  it('takes the minimum of bad events an error alert needs, a whole number of at least 1 (default 3)', () => {
    expect(defineStack({}).alerting.minBadEvents).toBe(3);
    expect(defineStack({ alerting: { minBadEvents: 1 } }).alerting.minBadEvents).toBe(1);
    expect(problemsOf({ alerting: { minBadEvents: 0 } })).toEqual(['alerting.minBadEvents: expected at least 1 bad event, got 0']);
    expect(problemsOf({ alerting: { minBadEvents: 2.5 } })).toEqual(['alerting.minBadEvents: expected a whole number of bad events like 3, got 2.5']);
  });

  it('reserves the receiver name "heartbeat" while the heartbeat is on', () => {
    const named = { alerting: { receivers: [{ name: 'heartbeat', type: 'pagerduty' as const }] } };
    expect(defineStack(named).alerting.receivers[0]!.name).toBe('heartbeat');
    expect(problemsOf({ alerting: { ...named.alerting, heartbeat: true } })).toEqual([
      'alerting.receivers[0].name: "heartbeat" is reserved for the Watchdog\'s receiver while alerting.heartbeat is on',
    ]);
    expect(problemsOf({ alerting: { heartbeat: 'yes' } })).toEqual(['alerting.heartbeat: expected true or false, got "yes"']);
  });

  it('takes an http(s) URL where the runbooks are published', () => {
    expect(defineStack({ alerting: { receivers: [], runbookBaseUrl: 'https://wiki.example.com/runbooks' } }).alerting.runbookBaseUrl).toBe('https://wiki.example.com/runbooks');
    expect(problemsOf({ alerting: { receivers: [], runbookBaseUrl: 'file:///srv/runbooks' } })).toHaveLength(1);
    expect(problemsOf({ alerting: { receivers: [], runbookBaseUrl: 'runbooks' } })[0]).toMatch(/^alerting\.runbookBaseUrl: expected an http\(s\) URL like "https:\/\/git\.example\.com\/ops\/runbooks", got "runbooks"/);
  });
});
