import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { bundleConfigDir, replicaServices } from '../../compose/render.js';
import { configMapName } from '../../constructs/workload.js';
import { runsOn } from '../../model/component.js';
import { objectsOf, presets, renderedPreset, workloads } from '../helpers/render.js';

describe.each(presets)('Kubernetes and compose renderings of the %s preset agree', (environment) => {
  const rendered = renderedPreset(environment);
  const objects = objectsOf(rendered);
  const services = (yaml.load(rendered.compose.files.get('compose.yaml')!) as { services: Record<string, any> }).services;
  const pods = new Map(workloads(objects).map((w) => [w.object.metadata.name, w.pod]));
  const shared = rendered.components.filter((c) => runsOn(c, 'compose'));

  it('on which components run: all of them in both, except the Kubernetes-only ones', () => {
    expect(Object.keys(services).sort()).toEqual(shared.flatMap((c) => replicaServices(c).map((r) => r.service)).sort());
    expect([...pods.keys()].sort()).toEqual(rendered.components.map((c) => c.name).sort());
    expect(rendered.components.filter((c) => !runsOn(c, 'compose')).map((c) => c.name)).toEqual(['otel-agent']);
  });

  it('on images', () => {
    for (const component of shared) {
      expect(services[component.name].image).toBe(component.image.ref);
      expect(pods.get(component.name)!.containers[0]!.image).toBe(component.image.ref);
    }
  });

  it('on config file contents, byte for byte', () => {
    let compared = 0;
    for (const component of shared) {
      for (const file of component.configFiles) {
        const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === configMapName(component.name, file.dir)) as any;
        const composeFile = rendered.compose.files.get(`${bundleConfigDir(component.name, file.dir)}/${file.name}`);
        expect(configMap?.data?.[file.name], `${component.name} ${file.dir}/${file.name}`).toBe(file.content);
        expect(composeFile).toBe(file.content);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(6);
  });

  it('on ports, arguments and environment names', () => {
    for (const component of shared) {
      const container = pods.get(component.name)!.containers[0]!;
      expect((container.ports ?? []).map((p) => p.containerPort).sort()).toEqual(component.ports.map((p) => p.port).sort());
      const published = (services[component.name].ports ?? []).map((p: string) => Number(p.split(':')[2]));
      for (const port of published) expect(component.ports.map((p) => p.port)).toContain(port);
      // A secret in an argument: `${VAR:?…}` from .env in compose, `$(VAR)` from the Secret on Kubernetes.
      const composeArgs = (services[component.name].command ?? []).map((a: string) =>
        a.replace(/\$\{([A-Z0-9_]+):\?[^}]*\}/g, '$$($1)').replaceAll('$$', '$'),
      );
      expect(container.args ?? []).toEqual([...composeArgs, ...(component.kubernetes?.args ?? [])]);
      const kubeEnv = new Set((container.env ?? []).map((e) => e.name));
      for (const name of Object.keys(services[component.name].environment ?? {})) expect(kubeEnv, `${component.name} ${name}`).toContain(name);
    }
  });
});
