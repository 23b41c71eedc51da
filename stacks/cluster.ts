import * as digitalocean from '@pulumi/digitalocean';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { CreateClusterConfig } from './config.js';

export interface DoksCluster {
  readonly vpc: digitalocean.Vpc;
  readonly cluster: digitalocean.KubernetesCluster;
  /** Kubeconfig with credentials fetched on this run (secret). */
  readonly kubeconfig: pulumi.Output<string>;
  readonly provider: k8s.Provider;
}

/**
 * The DOKS version to create: the newest patch of a minor (`"1.36"`), or an exact version, checked against what
 * DigitalOcean offers now so that a retired version fails with the list of valid ones instead of an API error.
 */
function resolveVersion(wanted: string): pulumi.Output<string> {
  const minor = /^\d+\.\d+/.exec(wanted)![0];
  return digitalocean.getKubernetesVersionsOutput({ versionPrefix: `${minor}.` }).apply(({ latestVersion, validVersions }) => {
    const version = wanted === minor ? latestVersion : validVersions.includes(wanted) ? wanted : undefined;
    if (!version) {
      throw new pulumi.RunError(`observatory:cluster.kubernetesVersion: DigitalOcean offers no ${wanted}${validVersions.length ? ` (offered: ${validVersions.join(', ')})` : ` (no ${minor}.x at all)`}`);
    }
    return version;
  });
}

/**
 * A VPC and a DOKS cluster in it: one autoscaling node pool, patch upgrades in the maintenance window with
 * surge upgrades (new nodes join before old ones drain), the HA control plane where the config asks for it.
 * The program resolves the newest patch of the configured minor on every run, so a new patch shows up in
 * `pulumi preview` as a version change of the cluster.
 */
export function doksCluster(config: CreateClusterConfig & { readonly name: string }, tags: readonly string[]): DoksCluster {
  const vpc = new digitalocean.Vpc('vpc', {
    name: `${config.name}-vpc`,
    region: config.region,
    description: `Observatory cluster ${config.name}`,
    ...(config.vpcIpRange ? { ipRange: config.vpcIpRange } : {}),
  });
  const { nodePool } = config;
  const cluster = new digitalocean.KubernetesCluster(
    'cluster',
    {
      name: config.name,
      region: config.region,
      version: resolveVersion(config.kubernetesVersion),
      vpcUuid: vpc.id,
      ha: config.haControlPlane,
      // A minor ("1.36") follows its patches in the maintenance window; an exact version stays put.
      autoUpgrade: !config.kubernetesVersion.includes('-do.'),
      surgeUpgrade: true,
      maintenancePolicy: { day: config.maintenance.day, startTime: config.maintenance.startTime },
      nodePool: {
        name: `${config.name}-default`,
        size: nodePool.size,
        autoScale: true,
        minNodes: nodePool.autoscale.min,
        maxNodes: nodePool.autoscale.max,
        nodeCount: nodePool.count,
        labels: { 'observatory/pool': 'default' },
        tags: [...tags],
      },
      tags: [...tags],
    },
    // The autoscaler owns the node count after creation.
    { ignoreChanges: ['nodePool.nodeCount'] },
  );
  // DOKS credentials expire after 7 days, so the stored kubeconfig goes stale: once the cluster runs, read a
  // fresh one on every run (pulumi/pulumi-digitalocean#77), as Pulumi's own DigitalOcean example does.
  const kubeconfig = pulumi.secret(
    pulumi.all([cluster.name, cluster.status, cluster.kubeConfigs]).apply(async ([name, status, stored]) => {
      if (status !== 'running') return stored[0]!.rawConfig!;
      const fresh = await digitalocean.getKubernetesCluster({ name });
      return fresh.kubeConfigs[0]!.rawConfig;
    }),
  );
  const provider = new k8s.Provider('doks', { kubeconfig });
  return { vpc, cluster, kubeconfig, provider };
}
