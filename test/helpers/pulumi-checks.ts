import type * as pulumi from '@pulumi/pulumi';
import { expect } from 'vitest';
import { renderStack } from '../../cli/render.js';
import { allObjects } from '../../constructs/manifests.js';
import type { KubeObject } from '../../constructs/schema-check.js';
import type { Component } from '../../model/component.js';
import { defineStack } from '../../model/define.js';
import { secretsOf } from '../../model/secrets.js';
import type { Environment, StackSpec } from '../../model/spec.js';
import { openSearchManagedSpec } from '../../stacks/managed-stores.js';
import { objectKey } from '../../stacks/objects.js';
import { isSecretInput, type Constructed, type ProgramRun, type Registered } from './pulumi-mocks.js';

/** What `observatory synth` renders for the spec a stack file describes: the objects the program must apply. */
export function expectedRender(config: Record<string, unknown>): { spec: StackSpec; objects: KubeObject[]; components: readonly Component[] } {
  const ingress = (config['observatory:ingress'] ?? { enabled: false }) as { enabled: boolean; domain?: string };
  const spec = defineStack(
    {
      storageClass: (config['observatory:storageClass'] as string | undefined) ?? 'do-block-storage',
      ingress: { enabled: ingress.enabled, ...(ingress.domain ? { domain: ingress.domain } : {}) },
      ...(config['observatory:retention'] ? { retention: config['observatory:retention'] } : {}),
      ...(config['observatory:alerting'] ? { alerting: config['observatory:alerting'] } : {}),
    },
    { environment: config['observatory:environment'] as Environment },
  );
  // On a cluster it creates, a distributed stack's OpenSearch is the program's own, whose CA the stack trusts.
  const creates = ((config['observatory:cluster'] as { mode?: string } | undefined)?.mode ?? 'create') === 'create';
  const deployed = spec.scale === 'distributed' && creates && spec.components.jaeger.enabled ? openSearchManagedSpec(spec) : spec;
  const rendered = renderStack(deployed);
  return { spec: deployed, objects: allObjects(rendered.kubernetes), components: rendered.components };
}

/** A resource of a run: how the program constructed it and what the engine received. */
export interface RunResource {
  readonly constructed: Constructed;
  readonly registered: Registered;
}

export function resourcesOf(run: ProgramRun): RunResource[] {
  const byName = new Map(run.registered.filter((r) => !r.readId).map((r) => [`${r.type}::${r.name}`, r]));
  return run.constructed.flatMap((c) => {
    const registered = byName.get(`${c.type}::${c.name}`);
    return registered ? [{ constructed: c, registered }] : [];
  });
}

export const ofType = (run: ProgramRun, type: string) => resourcesOf(run).filter((r) => r.constructed.type === type);

export function componentNamed(run: ProgramRun, type: string, name: string): pulumi.Resource {
  const matches = run.constructed.filter((c) => c.type === type && c.name === name);
  expect(matches, `${type} ${name}`).toHaveLength(1);
  return matches[0]!.resource;
}

/** The Kubernetes objects a component applied (its children that are Kubernetes resources), by object key. */
export function kubernetesChildren(run: ProgramRun, component: pulumi.Resource): Map<string, RunResource[]> {
  const byKey = new Map<string, RunResource[]>();
  for (const resource of resourcesOf(run)) {
    const { type, opts } = resource.constructed;
    if (opts.parent !== component || !type.startsWith('kubernetes:')) continue;
    const inputs = resource.registered.inputs as KubeObject;
    const key = objectKey(inputs);
    byKey.set(key, [...(byKey.get(key) ?? []), resource]);
  }
  return byKey;
}

interface Reference {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** The referrer only works once the referee exists: it must be applied after it. */
  readonly before: boolean;
}

function podSpecOf(object: KubeObject): any {
  const spec = object['spec'] as any;
  if (object.kind === 'CronJob') return spec.jobTemplate.spec.template.spec;
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(object.kind)) return spec.template.spec;
  return undefined;
}

/** Every object another object names: what a pod reads, what an Ingress routes to, what a binding grants. */
export function referencesOf(object: KubeObject): Reference[] {
  const namespace = object.metadata.namespace;
  const refs: Reference[] = [];
  if (namespace) refs.push({ kind: 'Namespace', name: namespace, before: true });
  const pod = podSpecOf(object);
  if (pod) {
    const read = (kind: string, name: string | undefined) => name && refs.push({ kind, namespace, name, before: true });
    for (const container of [...(pod.containers ?? []), ...(pod.initContainers ?? [])]) {
      for (const env of container.env ?? []) {
        read('Secret', env.valueFrom?.secretKeyRef?.name);
        read('ConfigMap', env.valueFrom?.configMapKeyRef?.name);
      }
      for (const from of container.envFrom ?? []) {
        read('Secret', from.secretRef?.name);
        read('ConfigMap', from.configMapRef?.name);
      }
    }
    for (const volume of pod.volumes ?? []) {
      read('Secret', volume.secret?.secretName);
      read('ConfigMap', volume.configMap?.name);
      read('PersistentVolumeClaim', volume.persistentVolumeClaim?.claimName);
      for (const source of volume.projected?.sources ?? []) {
        read('Secret', source.secret?.name);
        read('ConfigMap', source.configMap?.name);
      }
    }
    if (pod.serviceAccountName && pod.serviceAccountName !== 'default') read('ServiceAccount', pod.serviceAccountName);
  }
  if (object.kind === 'Ingress') {
    for (const rule of (object['spec'] as any).rules ?? []) {
      for (const path of rule.http?.paths ?? []) refs.push({ kind: 'Service', namespace, name: path.backend.service.name, before: true });
    }
  }
  if (object.kind === 'ClusterRoleBinding' || object.kind === 'RoleBinding') {
    const roleRef = object['roleRef'] as { kind: string; name: string };
    refs.push({ kind: roleRef.kind, ...(roleRef.kind === 'Role' ? { namespace } : {}), name: roleRef.name, before: false });
    for (const subject of (object['subjects'] as { kind: string; name: string; namespace?: string }[]) ?? []) {
      if (subject.kind === 'ServiceAccount') refs.push({ kind: 'ServiceAccount', namespace: subject.namespace ?? namespace, name: subject.name, before: false });
    }
  }
  return refs;
}

/** Every resource a resource waits for, directly or through the ones it waits for. */
export function dependencyClosure(run: ProgramRun): (resource: pulumi.Resource) => Set<pulumi.Resource> {
  const direct = new Map(run.constructed.map((c) => [c.resource, (c.opts.dependsOn ?? []) as pulumi.Resource[]]));
  return (resource) => {
    const seen = new Set<pulumi.Resource>();
    const queue = [...(direct.get(resource) ?? [])];
    while (queue.length > 0) {
      const next = queue.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(direct.get(next) ?? []));
    }
    return seen;
  };
}

/**
 * The component applied exactly the rendered objects plus the Secrets the components read: each once, with
 * the rendered content unchanged, through the given provider.
 */
export function expectEveryObjectOnce(run: ProgramRun, component: pulumi.Resource, rendered: readonly KubeObject[], secretNames: readonly string[], provider: pulumi.Resource) {
  const children = kubernetesChildren(run, component);
  const namespace = rendered.find((o) => o.metadata.namespace)?.metadata.namespace;
  const expectedKeys = [...rendered.map(objectKey), ...secretNames.map((name) => `Secret/${namespace}/${name}`)].sort();
  expect([...children.keys()].sort()).toEqual(expectedKeys);
  for (const object of rendered) {
    const applied = children.get(objectKey(object))!;
    expect(applied, objectKey(object)).toHaveLength(1);
    expect(applied[0]!.registered.inputs, objectKey(object)).toEqual(object);
  }
  for (const resources of children.values()) {
    for (const { constructed } of resources) expect(constructed.opts.provider, constructed.name).toBe(provider);
  }
}

/** Every generated Secret holds exactly the keys the components read, as secret values of the asked length. */
export function expectGeneratedSecrets(run: ProgramRun, component: pulumi.Resource, components: readonly Component[]) {
  const children = kubernetesChildren(run, component);
  const namespace = [...children.keys()].find((k) => k.startsWith('Secret/'))?.split('/')[1];
  const passwords = ofType(run, 'random:index/randomPassword:RandomPassword');
  for (const secret of secretsOf(components)) {
    const [applied] = children.get(`Secret/${namespace}/${secret.name}`) ?? [];
    expect(applied, secret.name).toBeDefined();
    const stringData = applied!.registered.inputs['stringData'];
    expect(isSecretInput(stringData), `${secret.name} stringData is secret`).toBe(true);
    expect(Object.keys(stringData.value).sort()).toEqual(Object.keys(secret.keys).sort());
    for (const [key, { length }] of Object.entries(secret.keys)) {
      const password = passwords.filter((p) => p.constructed.name.endsWith(`:${secret.name}/${key}`));
      expect(password, `${secret.name}/${key}`).toHaveLength(1);
      expect(password[0]!.registered.inputs).toMatchObject({ length, special: false });
      expect(stringData.value[key]).toHaveLength(length);
    }
  }
}

/**
 * Nothing depends on a resource that does not exist, and every object is applied after what it needs: its
 * namespace, the Secrets, ConfigMaps, volumes and service account its pods read, the Services an Ingress
 * routes to (and `ingressNeeds`, the ingress controller and issuer, for Ingresses). Roles and subjects of
 * bindings must exist (Kubernetes accepts a binding before them). `external`: objects made outside the
 * component, by key.
 */
export function expectDependencies(
  run: ProgramRun,
  component: pulumi.Resource,
  options: { ingressNeeds?: readonly pulumi.Resource[]; external?: ReadonlyMap<string, pulumi.Resource> } = {},
) {
  const constructed = new Set(run.constructed.map((c) => c.resource));
  for (const { name, opts } of run.constructed) {
    for (const dependency of (opts.dependsOn ?? []) as pulumi.Resource[]) expect(constructed.has(dependency), `${name} depends on a resource of this run`).toBe(true);
  }
  const children = kubernetesChildren(run, component);
  const closure = dependencyClosure(run);
  let checked = 0;
  for (const [key, [applied]] of children) {
    const object = applied!.registered.inputs as KubeObject;
    const before = closure(applied!.constructed.resource);
    for (const ref of referencesOf(object)) {
      const refKey = objectKey({ kind: ref.kind, metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) } });
      const referee = children.get(refKey)?.[0]?.constructed.resource ?? options.external?.get(refKey);
      expect(referee, `${key} names ${refKey}, which the stack does not create`).toBeDefined();
      if (ref.before) expect(before.has(referee!), `${key} is applied after ${refKey}`).toBe(true);
      checked++;
    }
    if (object.kind === 'Ingress') {
      for (const need of options.ingressNeeds ?? []) expect(before.has(need), `${key} waits for the ingress controller and issuer`).toBe(true);
    }
  }
  expect(checked).toBeGreaterThan(0);
}

/** Every volume the stack claims is DigitalOcean block storage of a stated size. */
export function expectBlockStorage(rendered: readonly KubeObject[]) {
  const claims = rendered.flatMap((o) => {
    if (o.kind === 'PersistentVolumeClaim') return [{ owner: objectKey(o), spec: o['spec'] as any }];
    if (o.kind === 'StatefulSet') return ((o['spec'] as any).volumeClaimTemplates ?? []).map((t: any) => ({ owner: `${objectKey(o)}/${t.metadata.name}`, spec: t.spec }));
    return [];
  });
  expect(claims.length).toBeGreaterThan(0);
  for (const { owner, spec } of claims) {
    expect(spec.storageClassName, owner).toBe('do-block-storage');
    expect(spec.resources?.requests?.storage, owner).toMatch(/^\d+(Mi|Gi)$/);
  }
}

/** GiB of block storage the rendered stack claims: standalone claims plus each StatefulSet replica's claims. */
export function claimedGiB(rendered: readonly KubeObject[]): number {
  const gib = (size: string) => (size.endsWith('Gi') ? Number(size.slice(0, -2)) : Number(size.slice(0, -2)) / 1024);
  let total = 0;
  for (const o of rendered) {
    const spec = o['spec'] as any;
    if (o.kind === 'PersistentVolumeClaim') total += gib(spec.resources.requests.storage);
    if (o.kind === 'StatefulSet') for (const t of spec.volumeClaimTemplates ?? []) total += gib(t.spec.resources.requests.storage) * (spec.replicas ?? 1);
  }
  return total;
}
