import * as digitalocean from '@pulumi/digitalocean';
import * as pulumi from '@pulumi/pulumi';
import type { StackSpec } from '../model/spec.js';

/** DigitalOcean's smallest Managed OpenSearch plan (1 vCPU, 2 GiB per node). */
export const OPENSEARCH_SIZE = 'db-s-1vcpu-2gb';

export interface ManagedStoresArgs {
  /** Prefix of the managed resources' names (the cluster's name). */
  readonly name: string;
  readonly region: string;
  readonly vpc: digitalocean.Vpc;
  readonly cluster: digitalocean.KubernetesCluster;
  readonly spec: StackSpec;
  /** Spaces keys (secret config): the program creates the bucket with them and Loki uses them. */
  readonly spaces?: { readonly accessKeyId: pulumi.Output<string>; readonly secretAccessKey: pulumi.Output<string> };
  readonly tags: readonly string[];
}

export interface ManagedStores {
  readonly opensearch?: digitalocean.DatabaseCluster;
  readonly bucket?: digitalocean.SpacesBucket;
  /** Values of the Secrets the distributed stack reads (by Secret name and key), all secret outputs. */
  readonly secrets: Record<string, Record<string, pulumi.Output<string>>>;
}

/**
 * The spec a stack on the program's own Managed OpenSearch runs: its certificate is checked against the CA that
 * DigitalOcean reports for the cluster (written into the Secret's `ca.crt`) as well as the system's, so the stack
 * connects whether DigitalOcean signs it with that CA or a public one.
 */
export function openSearchManagedSpec(spec: StackSpec): StackSpec {
  const { traces } = spec.distributed;
  return { ...spec, distributed: { ...spec.distributed, traces: { ...traces, opensearch: { ...traces.opensearch, privateCa: true } } } };
}

/** OpenSearch data nodes: enough that each shard's replicas sit on other nodes than its primary. */
const openSearchNodes = (spec: StackSpec) => (spec.distributed.traces.opensearch.replicas > 0 ? 3 : 1);

/**
 * The stores a distributed stack keeps outside the cluster on DigitalOcean: a Managed OpenSearch cluster in the
 * VPC, reachable only from the DOKS cluster (database firewall), for Jaeger's spans; a private Spaces bucket for
 * Loki's chunks and index. Their credentials become the Secrets the components read (`distributed.*.secret`).
 */
export function managedStores(args: ManagedStoresArgs): ManagedStores {
  const { spec } = args;
  const secrets: Record<string, Record<string, pulumi.Output<string>>> = {};
  let opensearch: digitalocean.DatabaseCluster | undefined;
  let bucket: digitalocean.SpacesBucket | undefined;

  if (spec.components.jaeger.enabled) {
    opensearch = new digitalocean.DatabaseCluster('opensearch', {
      name: `${args.name}-traces`,
      engine: 'opensearch',
      version: '2',
      size: OPENSEARCH_SIZE,
      nodeCount: openSearchNodes(spec),
      region: args.region,
      privateNetworkUuid: args.vpc.id,
      tags: [...args.tags],
    });
    new digitalocean.DatabaseFirewall('opensearch-firewall', { clusterId: opensearch.id, rules: [{ type: 'k8s', value: args.cluster.id }] });
    const { opensearch: settings } = spec.distributed.traces;
    const ca = digitalocean.getDatabaseCaOutput({ clusterId: opensearch.id });
    secrets[settings.secret] = {
      username: pulumi.secret(opensearch.user),
      password: pulumi.secret(opensearch.password),
      // Inside the VPC: the private host name.
      ...(settings.endpoint ? {} : { endpoint: pulumi.secret(pulumi.interpolate`https://${opensearch.privateHost}:${opensearch.port}`) }),
      // The authority DigitalOcean reports for the cluster; trusted beside the system's (openSearchManagedSpec).
      'ca.crt': ca.certificate,
    };
  }

  if (spec.components.loki.enabled) {
    if (!args.spaces) throw new Error('a distributed stack with Loki needs Spaces keys (config spacesAccessKeyId, spacesSecretAccessKey)');
    const provider = new digitalocean.Provider('spaces', { spacesAccessId: args.spaces.accessKeyId, spacesSecretKey: args.spaces.secretAccessKey });
    bucket = new digitalocean.SpacesBucket('logs', { name: `${args.name}-logs`, region: args.region, acl: 'private' }, { provider });
    const storage = spec.distributed.logs.objectStorage;
    secrets[storage.secret] = {
      'access-key-id': pulumi.secret(args.spaces.accessKeyId),
      'secret-access-key': pulumi.secret(args.spaces.secretAccessKey),
      ...(storage.endpoint ? {} : { endpoint: pulumi.secret(pulumi.output(`${args.region}.digitaloceanspaces.com`)) }),
      ...(storage.bucket ? {} : { bucket: pulumi.secret(bucket.name) }),
    };
  }
  return { ...(opensearch ? { opensearch } : {}), ...(bucket ? { bucket } : {}), secrets };
}
