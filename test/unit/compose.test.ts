import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { replicaServices } from '../../compose/render.js';
import { composeSchemaProblems } from '../../compose/schema-check.js';
import { runsOn } from '../../model/component.js';
import { presets, renderedPreset } from '../helpers/render.js';

type Service = {
  image: string;
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  volumes?: { type: string; source: string; target: string }[];
  user: string;
  cap_drop: string[];
  security_opt: string[];
};

describe.each(presets)('compose bundle of the %s preset', (environment) => {
  const rendered = renderedPreset(environment);
  const document = yaml.load(rendered.compose.files.get('compose.yaml')!) as { services: Record<string, Service>; volumes: Record<string, unknown> };
  const services = document.services;

  it('passes the Compose Specification schema', () => {
    expect(composeSchemaProblems(document)).toEqual([]);
  });

  const distributed = rendered.spec.scale === 'distributed';

  it('has a service for every replica of every component', () => {
    const replicas = rendered.components.filter((c) => runsOn(c, 'compose')).flatMap((c) => replicaServices(c).map((r) => r.service));
    expect(Object.keys(services).sort()).toEqual(replicas.sort());
    const stores = distributed ? ['vminsert', 'vmselect', 'vmstorage', 'loki-write', 'loki-read', 'loki-backend', 'otel-sampler', 'otel-sampler-1'] : ['victoriametrics', 'loki'];
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['otel-collector', ...stores, 'vmalert', 'jaeger', 'grafana', 'alertmanager', 'glitchtip-web', 'glitchtip-worker', 'glitchtip-postgres', 'glitchtip-valkey', 'umami', 'umami-postgres']));
  });

  it('publishes ports on 127.0.0.1 only, each host port once', () => {
    const published = Object.values(services).flatMap((s) => s.ports ?? []);
    expect(published.length).toBeGreaterThan(5);
    for (const port of published) expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
    const hostPorts = published.map((p) => p.split(':')[1]);
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
  });

  it('keeps credentials out of compose.yaml: every one is a ${VAR:?} from .env', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (/PASSWORD|SECRET/.test(key)) expect(value, `${name} ${key}`).toMatch(/^\$\{[A-Z_]+:\?/);
        if (key === 'DATABASE_URL') expect(value).toMatch(/:\$\{[A-Z_]+_PASSWORD:\?[^}]*\}@/);
      }
    }
    for (const variable of rendered.compose.variables) expect(rendered.compose.files.get('.env.example')).toContain(`${variable}=\n`);
  });

  it('waits for health where a health check exists, and checks health only with tools the image ships', () => {
    for (const component of rendered.components.filter((c) => runsOn(c, 'compose'))) {
      const service = services[component.name]!;
      if (service.healthcheck) {
        const tool = service.healthcheck.test[1];
        if (tool === 'wget' || tool === 'curl' || tool === 'python') expect(component.image.facts.httpCheckTool, component.name).toBe(tool);
      }
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        if (condition === 'service_healthy') expect(services[dependency]?.healthcheck, `${component.name} waits for ${dependency}`).toBeDefined();
      }
    }
    expect(services['otel-collector']!.healthcheck).toBeUndefined();
    expect(services[distributed ? 'loki-write' : 'loki']!.healthcheck?.test).toEqual(['CMD', '/usr/bin/loki', '-health', '-health.url=http://127.0.0.1:3100/ready']);
    expect(services['jaeger']!.healthcheck?.test[1]).toBe('wget');
    expect(services['glitchtip-web']!.depends_on?.['glitchtip-migrate']).toEqual({ condition: 'service_completed_successfully' });
    expect(services['glitchtip-migrate']!.depends_on?.['glitchtip-postgres']).toEqual({ condition: 'service_healthy' });
  });

  it('drops every capability and forbids privilege escalation', () => {
    for (const [name, service] of Object.entries(services)) {
      expect(service.cap_drop, name).toEqual(['ALL']);
      expect(service.security_opt, name).toContain('no-new-privileges:true');
    }
  });

  it('keeps data in named volumes', () => {
    const stores = distributed
      ? ['vmstorage-data', 'vmstorage-2-data', 'loki-write-data', 'loki-write-2-data', 'loki-backend-data', 'otel-sampler-1-queue', 'grafana-postgres-data']
      : ['victoriametrics-data', 'loki-data', 'jaeger-data', 'grafana-data'];
    expect(Object.keys(document.volumes)).toEqual(expect.arrayContaining([...stores, 'otel-collector-queue', 'glitchtip-postgres-data']));
  });
});

describe('the compose schema check', () => {
  it('rejects what Docker Compose would reject', () => {
    expect(composeSchemaProblems({ services: { app: { image: 'x', restart: 'sometimes', imagee: 'typo' } } }).join('\n')).toMatch(/imagee/);
    expect(composeSchemaProblems({ services: { app: { image: 'x', depends_on: { db: { condition: 'service_ready' } } } } })).not.toEqual([]);
  });
});

describe('compose interpolation', () => {
  const text = renderedPreset('local').compose.files.get('compose.yaml')!;

  it('leaves no bare $ for compose to interpolate: each is $$ (a literal) or ${VAR:?reason} (from .env)', () => {
    const unescaped = text.replace(/\$\$/g, '').match(/\$(?!\{[A-Z][A-Z0-9_]*:\?)/g) ?? [];
    expect(unescaped).toEqual([]);
  });

  it("keeps the container's own shell variables for the container (Valkey's password)", () => {
    expect(text).toContain('--requirepass "$$VALKEY_PASSWORD"');
    expect(text).toContain('-a "$$VALKEY_PASSWORD" ping');
  });
});
