/**
 * vitest globalSetup of the cluster tests (vitest.cluster.config.ts): brings the test cluster up, deploys the
 * rendered stack with the sample app, hands the test files what they need, and tears it all down at the end.
 */
import 'vitest';
import type { TestProject } from 'vitest/node';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { down, status, up } from './cluster.js';
import { clusterLayout, paths } from './layout.js';
import { clusterProblems, inCI } from './requirements.js';
import { deployMeasuredClaims } from './measured-volumes.js';
import { deployStack } from './stack-deployment.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Why the cluster tests cannot run here (outside CI only; in CI the setup fails instead). */
    clusterSkipReason: string;
    clusterDir: string;
    stackOut: string;
    stackReadySeconds: number;
    stackReadyBoundSeconds: number;
    clusterUpSeconds: number;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const layout = clusterLayout();
  const log = (line: string): void => console.log(`[cluster] ${line}`);
  project.provide('clusterDir', layout.dir);
  const problems = clusterProblems();
  if (problems.length > 0) {
    if (inCI) throw new Error(`the cluster tests cannot run: ${problems.join('; ')}`);
    console.warn(`SKIPPED (not in CI): the cluster tests: ${problems.join('; ')}`);
    project.provide('clusterSkipReason', problems.join('; '));
    return async () => undefined;
  }
  project.provide('clusterSkipReason', '');
  const keep = process.env.OBSERVATORY_KEEP_CLUSTER === '1';
  const record = path.join(paths(layout).run, 'deployed.json');
  const teardown = async (): Promise<void> => {
    if (keep) return log(`kept running (OBSERVATORY_KEEP_CLUSTER=1); stop it with: node dist/test/cluster/cluster.js down`);
    await down(layout, log);
  };
  // With OBSERVATORY_KEEP_CLUSTER=1 a cluster and stack kept by an earlier run are used as they are (a developer's
  // loop); otherwise a cluster left over by an interrupted run would hold old state: start clean.
  if (keep && Object.values(status(layout)).every(Boolean) && fs.existsSync(record)) {
    const kept = JSON.parse(fs.readFileSync(record, 'utf8')) as { out: string; readySeconds: number; boundSeconds: number; upSeconds: number };
    log(`using the cluster and stack kept by an earlier run (${kept.out})`);
    deployMeasuredClaims(layout);
    project.provide('clusterUpSeconds', kept.upSeconds);
    project.provide('stackOut', kept.out);
    project.provide('stackReadySeconds', kept.readySeconds);
    project.provide('stackReadyBoundSeconds', kept.boundSeconds);
    return teardown;
  }
  await down(layout, () => undefined);
  try {
    const cluster = await up(layout, log);
    project.provide('clusterUpSeconds', cluster.seconds);
    const deployed = await deployStack(layout, log);
    // Early, so that the kubelet has measured them and vmalert evaluated them by the time volume-alerts.test.ts runs.
    deployMeasuredClaims(layout);
    log('measured claims bound and their pods running (volume-alerts.test.ts)');
    project.provide('stackOut', deployed.out);
    project.provide('stackReadySeconds', deployed.readySeconds);
    project.provide('stackReadyBoundSeconds', deployed.boundSeconds);
    const kept = { out: deployed.out, readySeconds: deployed.readySeconds, boundSeconds: deployed.boundSeconds, upSeconds: cluster.seconds };
    fs.writeFileSync(record, JSON.stringify(kept));
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}
