/**
 * Alerts that wake people only for real trouble, on a real cluster: after every other file has run (restarts of
 * the gateway, Loki and Jaeger, a crash-looping pod, full claims; vitest.cluster.config.ts runs this file last), no
 * alert about the stack itself or the workloads of its namespace has fired but the Watchdog and what the tests
 * provoke on purpose. vmalert writes every alert's state as an ALERTS series, so this also sees alerts that fired
 * and resolved in between, and those Alertmanager inhibited, not only what fires now.
 */
import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { STACK } from '../../alerts/stack-alerts.js';
import { useBackendUrls } from '../e2e/support/backend-urls.js';
import { vmQuery } from '../e2e/support/backends.js';
import { kubectl } from './cluster.js';
import { clusterLayout, paths } from './layout.js';
import { MEASURED_CLAIMS } from './measured-volumes.js';
import { portForward, type PortForward } from './port-forward.js';
import { STACK_NAMESPACE } from './stack-deployment.js';

const skipReason = inject('clusterSkipReason');
const layout = clusterLayout(inject('clusterDir'));

/** An alert of the stack as this test names it: its name and the component it is about. */
const alertKey = (alertname: string, component = '') => `${alertname}{component="${component}"}`;

describe.skipIf(skipReason !== '')('the stack\'s own alerts on a real cluster', () => {
  let victoriametrics: PortForward | undefined;

  beforeAll(async () => {
    victoriametrics = await portForward(layout, STACK_NAMESPACE, 'svc/victoriametrics', 8428);
    useBackendUrls({ victoriametrics: victoriametrics.url });
  });

  afterAll(() => victoriametrics?.close());

  it('stay quiet: none fired since the stack was deployed but the Watchdog and what the tests provoke', async () => {
    const deployedAt = Date.parse(kubectl(layout, ['-n', STACK_NAMESPACE, 'get', 'deployment', 'vmalert', '-o', 'jsonpath={.metadata.creationTimestamp}']));
    const window = Math.ceil((Date.now() - deployedAt) / 1000);
    // The stack's own alerts, and the Kubernetes alerts of its namespace (their `service` is the namespace).
    const fired = await vmQuery(`max by (alertname, component) (max_over_time(ALERTS{service=~"${STACK}|${STACK_NAMESPACE}", alertstate="firing"}[${window}s]))`);
    const firedKeys = fired.map((s) => alertKey(s.metric['alertname']!, s.metric['component']));
    // The claim measured-volumes.ts fills to 87.5 % in the stack's namespace; and the node's own disk: the stack's
    // local-path volumes are folders on it, so VictoriaMetrics reports its free space (the machine's, not the test's).
    const disk = fs.statfsSync(paths(layout).localVolumes);
    const diskUsed = 1 - disk.bavail / disk.blocks;
    const provoked = [alertKey('Watchdog', 'alertmanager'), alertKey('StackVolumeAlmostFull', MEASURED_CLAIMS.stack.pod.replace(/-\d+$/, ''))];
    if (diskUsed > 0.8) provoked.push(alertKey('VictoriaMetricsDiskAlmostFull', 'victoriametrics'));
    console.log(`the stack's and its namespace's alerts that fired in the ${window} s since it was deployed: ${firedKeys.join(', ')} (node disk ${(diskUsed * 100).toFixed(0)} % used)`);
    expect(firedKeys, 'the Watchdog fires always: the query reads the ALERTS series').toContain(alertKey('Watchdog', 'alertmanager'));
    expect(firedKeys.filter((k) => !provoked.includes(k))).toEqual([]);
  });
});
