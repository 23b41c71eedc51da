import { describe, expect, it } from 'vitest';
import { defineStack } from '../../model/define.js';
import { preset } from '../../model/presets.js';
import { environments, stackSpecSchema } from '../../model/spec.js';
import { specProblems } from '../helpers/spec-problems.js';

const problemsOf = specProblems;

describe('stack spec', () => {
  it.each(environments)('the %s preset is a complete, valid spec', (environment) => {
    expect(stackSpecSchema.safeParse(preset(environment)).success).toBe(true);
    expect(defineStack({}, { environment }).environment).toBe(environment);
  });

  it('presets differ the way real environments do', () => {
    const local = defineStack({}, { environment: 'local' });
    const prod = defineStack({}, { environment: 'prod' });
    expect(prod.components.glitchtip.web.replicas).toBeGreaterThan(local.components.glitchtip.web.replicas);
    expect(prod.components.umami.replicas).toBeGreaterThan(1);
    expect(prod.retention.metrics).toBe('90d');
    expect(local.retention.metrics).toBe('7d');
    expect(prod.components.loki.storage).not.toBe(local.components.loki.storage);
    expect(prod.components.victoriametrics.resources.limits.memory).not.toBe(local.components.victoriametrics.resources.limits.memory);
  });

  it('takes the environment named in the spec and merges overrides over its preset', () => {
    const spec = defineStack({ environment: 'staging', retention: { logs: '21d' } });
    expect(spec.environment).toBe('staging');
    expect(spec.retention.logs).toBe('21d');
    expect(spec.retention.metrics).toBe(preset('staging').retention.metrics);
  });

  it('explains a bad duration with its path and the value it got', () => {
    expect(problemsOf({ retention: { logs: '7x' } })).toEqual(['retention.logs: expected a duration like "7d", got "7x"']);
  });

  it('reports every problem at once, each with its path', () => {
    const problems = problemsOf({
      retention: { metrics: 'forever' },
      components: { loki: { storage: 'big' }, collector: { replicas: 0 } },
      images: { registry: 'Not A Registry!' },
    });
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/^retention\.metrics: expected a duration/m);
    expect(problems.join('\n')).toMatch(/^components\.loki\.storage: expected a memory quantity like "512Mi" or "2Gi", got "big"/m);
    expect(problems.join('\n')).toMatch(/^components\.collector\.replicas: .*got 0/m);
    expect(problems.join('\n')).toMatch(/^images\.registry: expected a registry/m);
  });

  it('treats unknown keys as errors and suggests the key meant', () => {
    expect(problemsOf({ components: { lokii: { enabled: false } } })).toEqual(['components.lokii: unknown key (did you mean "loki"?)']);
    expect(problemsOf({ retension: {} })[0]).toBe('retension: unknown key (did you mean "retention"?)');
  });

  it('rejects a wrong type with what it expected', () => {
    expect(problemsOf({ components: { grafana: { enabled: 'yes' } } })[0]).toMatch(/^components\.grafana\.enabled: .*expected boolean.*got "yes"/);
    expect(problemsOf({ environment: 'production' })[0]).toBe('environment: expected one of local, dev, staging, prod, got "production"');
    expect(problemsOf('just text')[0]).toMatch(/^\(root\): expected a mapping/);
  });

  it('checks settings that depend on each other', () => {
    expect(problemsOf({ components: { victoriametrics: { enabled: false } } })).toEqual(['components.vmalert.enabled: vmalert needs components.victoriametrics.enabled: true']);
    expect(problemsOf({ retention: { logs: '36h' } })[0]).toMatch(/^retention\.logs: Loki retention must be a whole number of days/);
    expect(problemsOf({ ingress: { enabled: true } })[0]).toMatch(/^ingress\.domain: ingress\.enabled needs a domain/);
    expect(problemsOf({ components: { collector: { replicas: 3 } } })).toEqual([
      "components.collector.autoscaling.maxReplicas: the autoscaler's maximum cannot be below components.collector.replicas (3), got 1",
    ]);
    expect(defineStack({ components: { collector: { replicas: 3, autoscaling: { maxReplicas: 5 } } } }).components.collector.autoscaling.maxReplicas).toBe(5);
    const noBackends = { components: { jaeger: { enabled: false }, loki: { enabled: false }, victoriametrics: { enabled: false }, vmalert: { enabled: false } } };
    expect(problemsOf(noBackends)).toEqual(['components.collector.enabled: the collector needs at least one backend: enable jaeger, victoriametrics or loki']);
    expect(problemsOf({ alerting: { receivers: [{ name: 'default', type: 'pagerduty' }] } })[0]).toMatch(/"default" is reserved/);
  });

  it('refuses an environment that contradicts the one asked for', () => {
    expect(problemsOf({ environment: 'prod' }, 'dev')[0]).toMatch(/^environment: the spec says "prod" but "dev" was asked for/);
  });

  it('takes only Kubernetes object names for the storage class, ingress class and cluster issuer', () => {
    expect(problemsOf({ storageClass: 'Fast Disk' })).toEqual(['storageClass: expected a Kubernetes object name (lowercase letters, digits, "-", "."), got "Fast Disk"']);
    expect(problemsOf({ ingress: { className: 'nginx_public', clusterIssuer: 'LetsEncrypt' } }).map((p) => p.split(':')[0])).toEqual(['ingress.className', 'ingress.clusterIssuer']);
    expect(defineStack({ storageClass: 'do-block-storage', ingress: { className: 'nginx' } }).ingress.className).toBe('nginx');
  });

  it.each(environments)('routes the %s preset through Traefik in its own namespace unless told otherwise', (environment) => {
    expect(defineStack({}, { environment }).ingress).toMatchObject({ className: 'traefik', controllerNamespace: 'traefik', clusterIssuer: 'letsencrypt', tls: true });
  });

  it('validates alert receivers by type', () => {
    const problems = problemsOf({ alerting: { receivers: [{ name: 'ops', type: 'webhook', url: 'not a url' }, { name: 'x', type: 'pager' }] } });
    expect(problems[0]).toMatch(/^alerting\.receivers\[0\]\.url: expected an http\(s\) URL, got "not a url"/);
    expect(problems[1]).toMatch(/^alerting\.receivers\[1\]\.type: /);
  });

  it('refuses an SMTP smarthost whose port is no TCP port, once, naming the path (found by the spec fuzz test)', () => {
    const mail = (smarthost: string) => ({ alerting: { receivers: [{ name: 'ops', type: 'email', to: ['a@example.com'], from: 'b@example.com', smarthost }] } });
    expect(problemsOf(mail('smtp.example.com:99999'))).toEqual(['alerting.receivers[0].smarthost: expected host:port with a port from 1 to 65535, got "smtp.example.com:99999"']);
    expect(problemsOf(mail('smtp.example.com:0'))).toHaveLength(1);
    expect(problemsOf(mail('smtp.example.com'))).toEqual(['alerting.receivers[0].smarthost: expected host:port, got "smtp.example.com"']);
  });
});
