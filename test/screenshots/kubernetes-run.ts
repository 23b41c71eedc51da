/**
 * The screenshots of the Kubernetes-only dashboards ("Kubernetes", "Kubernetes workloads"), which read what only a
 * cluster produces (the collector's k8s_cluster, kubeletstats and k8s_objects receivers). On the single-node test
 * cluster of test/cluster/ (brought up and down by its own cluster.ts, the stack deployed by stack-deployment.ts as
 * the cluster tests deploy it) with the UI variant of Grafana's image imported into the cluster's containerd; the
 * sample app's pods receive the end-to-end traffic through a port-forward, and one pod crash-loops so that the
 * dashboards' trouble panels have something to show. Then the same page and panel checks, mutation check and
 * gallery as the local run. The cluster is torn down afterwards (unless --keep).
 */
import * as fs from 'node:fs';
import type { Browser } from 'puppeteer-core';
import { DASHBOARD_UID } from '../../dashboards/uids.js';
import { down, kubectl, status, up } from '../cluster/cluster.js';
import { clusterLayout } from '../cluster/layout.js';
import { portForward, type PortForward } from '../cluster/port-forward.js';
import { clusterProblems } from '../cluster/requirements.js';
import { clusterStackInput, deployStack, secretValue, STACK_NAMESPACE } from '../cluster/stack-deployment.js';
import { probePodManifest, SAMPLE_NAMESPACE } from '../cluster/test-workloads.js';
import { GrafanaApi } from '../e2e/support/grafana.js';
import { sendSampleTraffic, type SampleTraffic } from '../e2e/support/sample-traffic.js';
import { ensureImage } from '../images/build.js';
import { captureAll, captureProblems, FIRST_LOOK_AFTER_MS, launchBrowser, mutationCheck, concludeRun, say, sleep, TIME_RANGE } from './capture-run.js';
import type { RunArgs } from './compose-run.js';
import { ensureBackendImages } from './compose-run.js';
import type { CaptureOptions } from './dashboard-page.js';
import { shippedDashboards, type GalleryDashboard } from './gallery-dashboards.js';
import { checkUiServed } from './ui-served.js';

/**
 * The crash loop's alert fires some 4 minutes after the pod starts (CrashLoopBackOff after the second exit, the
 * receiver's and vmalert's 30 s intervals, the rule's 1 minute): the first run saw it at 4.5 minutes of traffic.
 */
const LAST_LOOK_AFTER_MS = 480_000;

/** A pod of the sample app's namespace that exits at once, restarted until it is in CrashLoopBackOff. */
export const CRASH_LOOPER = 'crash-looper';

/**
 * The Kubernetes-only dashboards as the cluster's stack provisions them (its spec: the dev preset of
 * stack-deployment.ts), which must be the JSON the gallery records for them (the local preset's): the staleness test
 * compares the gallery with the local preset's dashboards.
 */
export function clusterDashboards(): GalleryDashboard[] {
  const onCluster = shippedDashboards(clusterStackInput).kubernetesOnly;
  const gallery = shippedDashboards().kubernetesOnly;
  const differ = gallery.filter((d) => onCluster.find((c) => c.uid === d.uid)?.hash !== d.hash).map((d) => d.uid);
  if (differ.length > 0 || onCluster.length !== gallery.length) {
    throw new Error(`the cluster's stack provisions other Kubernetes dashboards than the gallery records (${differ.join(', ') || 'a different set'}): their JSON depends on the spec`);
  }
  return onCluster;
}

/** Renders the Kubernetes-only dashboards on the test cluster; returns the exit code. */
export async function kubernetesRun(args: RunArgs, grafanaUiTag: string): Promise<number> {
  const problems = clusterProblems();
  if (problems.length > 0) throw new Error(`the test cluster cannot run here: ${problems.join('; ')}`);
  const dashboards = clusterDashboards();
  await ensureBackendImages();
  await ensureImage('webhook-sink', { log: (l) => say(`webhook-sink: ${l.trim()}`) });
  fs.rmSync(args.out, { recursive: true, force: true });
  fs.mkdirSync(args.out, { recursive: true });

  const layout = clusterLayout();
  const log = (line: string): void => say(`[cluster] ${line}`);
  const running = Object.entries(status(layout)).filter(([, pid]) => pid !== undefined).map(([name]) => name);
  if (running.length > 0) throw new Error(`a test cluster is running in ${layout.dir} (${running.join(', ')}): stop it first (node dist/test/cluster/cluster.js down)`);
  const forwards: PortForward[] = [];
  let traffic: SampleTraffic | undefined;
  let browser: Browser | undefined;
  try {
    // What an interrupted run may have left in the cluster's folder (no process runs: checked above).
    await down(layout, () => undefined);
    const cluster = await up(layout, log);
    say(`cluster up in ${cluster.seconds.toFixed(1)} s`);
    const deployed = await deployStack(layout, log, { grafanaImage: grafanaUiTag });
    say(`stack deployed with ${grafanaUiTag}, all Ready in ${deployed.readySeconds.toFixed(1)} s`);
    const looper = probePodManifest(CRASH_LOOPER, SAMPLE_NAMESPACE, { app: CRASH_LOOPER }, ['/bin/false']) as { spec: Record<string, unknown> };
    looper.spec['restartPolicy'] = 'Always';
    kubectl(layout, ['apply', '-f', '-'], JSON.stringify(looper));
    say(`pod ${SAMPLE_NAMESPACE}/${CRASH_LOOPER} started, exiting at once (CrashLoopBackOff)`);

    const grafanaForward = await portForward(layout, STACK_NAMESPACE, 'svc/grafana', 3000);
    forwards.push(grafanaForward);
    const front = await portForward(layout, SAMPLE_NAMESPACE, 'svc/sample-front', 8080);
    forwards.push(front);
    const password = secretValue(deployed.out, 'grafana-admin', 'password');
    const grafana = new GrafanaApi(password, grafanaForward.url);
    say(`UI served: ${await checkUiServed(grafanaForward.url)}`);
    traffic = await sendSampleTraffic(front.url);
    say(`sample app sending traffic; first look in ${FIRST_LOOK_AFTER_MS / 1000} s`);
    await sleep(FIRST_LOOK_AFTER_MS);

    browser = await launchBrowser();
    const options: CaptureOptions = { grafanaUrl: grafanaForward.url, user: 'admin', password, from: TIME_RANGE, widthPx: 1600, outDir: args.out, timeoutMs: 60_000 };
    const captures = await captureAll(browser, dashboards, options, traffic.burstStartedAt, {}, LAST_LOOK_AFTER_MS);
    const unseen = await mutationCheck(browser, grafana, dashboards.find((d) => d.uid === DASHBOARD_UID.kubernetes)!, options);
    const failures = [...unseen, ...captureProblems(dashboards, captures)];
    return await concludeRun({
      renderedOn: 'kubernetes', grafana, dashboards, captures, failures, outDir: args.out, gallery: args.gallery,
      sentBy: `the sample app's pods on the test cluster (Kubernetes, dev preset) sending traffic with an error burst, one pod crash-looping`,
    });
  } finally {
    await browser?.close();
    traffic?.stopBurst();
    for (const f of forwards) f.close();
    if (args.keep) say(`cluster left running (--keep): node dist/test/cluster/cluster.js down`);
    else {
      await down(layout, log);
      const left = Object.entries(status(layout)).filter(([, pid]) => pid !== undefined).map(([name]) => name);
      say(left.length === 0 ? 'cluster down: nothing of it runs' : `cluster down, but still running: ${left.join(', ')}`);
    }
  }
}
