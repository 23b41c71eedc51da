import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { renderStack } from '../../cli/render.js';
import { selectorLabels } from '../../constructs/labels.js';
import { allObjects } from '../../constructs/manifests.js';
import { defineStack } from '../../model/define.js';
import { NetworkPolicyModel, type Endpoint } from '../helpers/network-policy-evaluator.js';
import { specProblems } from '../helpers/spec-problems.js';

const spec = defineStack({ environment: 'prod', scale: 'single', scrapeTargets: [{ job: 'payments', target: 'payments.shop.svc:9090' }, { job: 'edge-router', target: '10.0.4.17:9100', path: '/probe/metrics' }] });
const rendered = renderStack(spec);
const sampler = rendered.components.find((c) => c.role === 'telemetry-sampler')!;

describe('static scrape targets', () => {
  it('are scraped by the sampler, in the config both runtimes share, with the default path', () => {
    const config = yaml.load(sampler.configFiles.find((f) => f.name === 'config.yaml')!.content) as any;
    const jobs = config.receivers['prometheus/stack'].config.scrape_configs.filter((j: any) => ['payments', 'edge-router'].includes(j.job_name));
    expect(jobs.map((j: any) => [j.job_name, j.metrics_path, j.static_configs[0].targets[0]])).toEqual([
      ['payments', '/metrics', 'payments.shop.svc:9090'],
      ['edge-router', '/probe/metrics', '10.0.4.17:9100'],
    ]);
    expect(rendered.compose.files.get(`config/${sampler.name}/config.yaml`) ?? [...rendered.compose.files.values()].find((f) => f.includes('edge-router'))).toContain('10.0.4.17:9100');
  });

  it('are reachable through the sampler\'s network policy on their ports, and nothing more', () => {
    const model = new NetworkPolicyModel(allObjects(rendered.kubernetes));
    const samplerPod: Endpoint = { namespace: spec.namespace, labels: selectorLabels(spec, sampler) };
    const payments: Endpoint = { namespace: 'shop', labels: { app: 'payments' } };
    expect(model.allows(samplerPod, payments, 9090)).toBe(true);
    expect(model.allows(samplerPod, { external: true }, 9100)).toBe(true);
    expect(model.allows(samplerPod, payments, 5432)).toBe(false);
    const withoutTargets = new NetworkPolicyModel(allObjects(renderStack(defineStack({ environment: 'prod', scale: 'single' })).kubernetes));
    expect(withoutTargets.allows(samplerPod, payments, 9090)).toBe(false);
  });

  it('are refused with a malformed target, a duplicate job or a job of the stack\'s own', () => {
    expect(specProblems({ scrapeTargets: [{ job: 'payments', target: 'payments' }] })).toEqual(['scrapeTargets[0].target: expected host:port like "payments.shop.svc:9090", got "payments"']);
    expect(specProblems({ scrapeTargets: [{ job: 'a', target: 'a:1' }, { job: 'a', target: 'b:1' }] })).toEqual(['scrapeTargets[1].job: duplicate scrape job "a"']);
    expect(() => renderStack(defineStack({ scrapeTargets: [{ job: 'loki', target: 'loki.elsewhere.svc:3100' }] }))).toThrow('scrapeTargets: job "loki" is the stack\'s own scrape of that component');
  });
});
