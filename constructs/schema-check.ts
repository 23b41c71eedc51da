import { createRequire } from 'node:module';
import { requirePeer } from '../model/optional-peer.js';

/** A rendered Kubernetes object (what `ApiObject.toJson()` returns). */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly [field: string]: unknown;
}

const require = createRequire(import.meta.url);

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/**
 * Validates objects against the Kubernetes 1.28 OpenAPI schemas shipped by kubernetes-models 4.4
 * (flowcontrol up to v1beta3, ValidatingAdmissionPolicy v1beta1: the 1.28 API set).
 * Returns one line per invalid object; an object of a kind without a schema is a problem too.
 */
export function kubernetesSchemaProblems(objects: readonly KubeObject[]): string[] {
  // An optional peer, loaded per kind: only validation needs it.
  requirePeer(import.meta.url, 'kubernetes-models/package.json', { name: 'kubernetes-models', version: '4.4.2', neededFor: 'Kubernetes schema validation' });
  const problems: string[] = [];
  for (const object of objects) {
    const where = `${object.kind}/${object.metadata?.name ?? '?'}`;
    const modulePath = `kubernetes-models/${object.apiVersion}/${object.kind}`;
    let Model: ModelClass;
    try {
      Model = (require(modulePath) as Record<string, ModelClass>)[object.kind]!;
    } catch {
      problems.push(`${where}: no Kubernetes 1.28 schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
    }
  }
  return problems;
}
