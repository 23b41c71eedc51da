import { randomBytes } from 'node:crypto';
import yaml from 'js-yaml';
import { QUEUE_DIR } from '../../collector/pipelines.js';
import { JAEGER, logsEndpoints, metricsEndpoints } from '../../constructs/addresses.js';
import { collectorComponents } from '../../constructs/collector.js';
import type { Component } from '../../model/component.js';
import { cpuMillis } from '../../model/quantity.js';
import type { StackSpec } from '../../model/spec.js';

/** One collector tier as the model renders it: its config file, environment and limits. */
export interface RenderedTier {
  readonly name: string;
  /** config.yaml, parsed (the file both runtimes ship; Kubernetes-only overlays are not part of the trace path). */
  readonly config: Record<string, unknown>;
  /** Its literal environment (GOMEMLIMIT); a secret's value becomes a random one. */
  readonly env: Record<string, string>;
  readonly memoryLimit: string;
  readonly cpuLimitCores: number;
  readonly replicas: number;
}

export interface RenderedTracePath {
  readonly gateway: RenderedTier;
  readonly sampler: RenderedTier;
  /** The in-stack next hops the rendered configs name, which the bench points at its sink. */
  readonly upstreams: { readonly traces: string; readonly metrics: string; readonly logs: string };
  /** The rendered queue folder. */
  readonly queueDir: string;
}

function tier(component: Component): RenderedTier {
  const file = component.configFiles.find((f) => f.name === 'config.yaml');
  if (!file) throw new Error(`${component.name}: no config.yaml rendered`);
  const env = Object.fromEntries(
    Object.entries(component.env ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : randomBytes(20).toString('hex')]),
  );
  return {
    name: component.name,
    config: yaml.load(file.content) as Record<string, unknown>,
    env,
    memoryLimit: component.resources.limits.memory,
    cpuLimitCores: cpuMillis(component.resources.limits.cpu) / 1000,
    replicas: component.replicas,
  };
}

/**
 * The gateway and sampler of a stack whose traces go through several samplers (`scale: distributed` with
 * `distributed.collector.samplers` > 1): the gateway's `loadbalancing` exporter and the samplers' one-of-many
 * config, exactly as `observatory synth` writes them.
 */
export function renderedTracePath(spec: StackSpec): RenderedTracePath {
  const components = collectorComponents(spec);
  const byRole = (role: string) => {
    const found = components.find((c) => c.role === role);
    if (!found) throw new Error(`the spec renders no ${role}`);
    return found;
  };
  const gateway = tier(byRole('telemetry-gateway'));
  const sampler = tier(byRole('telemetry-sampler'));
  if (sampler.replicas < 2) throw new Error(`the spec renders ${sampler.replicas} sampler: the trace path needs scale: distributed with several samplers`);
  return {
    gateway,
    sampler,
    upstreams: { traces: JAEGER.otlpGrpcEndpoint, metrics: metricsEndpoints(spec).otlp.url, logs: logsEndpoints(spec).otlp.url },
    queueDir: QUEUE_DIR,
  };
}
