/**
 * `npm run screenshots`: every shipped dashboard rendered by Grafana's own UI in headless Chromium with the sample
 * app's data, checked and captured.
 *
 *   npm run screenshots [-- --kubernetes] [-- --out DIR] [-- --no-gallery] [-- --keep]
 *
 * 1. builds what it needs: the factory's images, Grafana's frontend and the UI variant of the Grafana image
 *    (test/images/grafana-ui-image.ts; the first time about 15 minutes, then cached);
 * 2. brings a stack up with that image and sends it the sample app's traffic with an error burst
 *    (test/e2e/support/sample-traffic.ts): the local stack under Docker Compose (compose-run.ts), or with
 *    --kubernetes the test cluster of test/cluster/ with the dev stack (kubernetes-run.ts) for the dashboards only a
 *    cluster fills;
 * 3. opens each dashboard in Chromium (Debian's /usr/bin/chromium, or OBSERVATORY_CHROMIUM, driven by
 *    puppeteer-core), waits for its panels, writes DIR/<uid>.png (the whole dashboard) and DIR/<uid>/NN-<panel>.png;
 * 4. fails when a panel shows an error, "No data" where the traffic should fill it (panels-with-data.ts), a legend
 *    that hides series behind a scroll, or is not on the page; on the local stack also when a log line's trace link or
 *    a span's logs link does not lead to that trace or its lines (signal-links.ts); and proves the check would see
 *    a broken dashboard: broken copies of one must be reported broken;
 * 5. renews that run's part of the gallery (docs/dashboards/: small PNGs and manifest.json with each dashboard's
 *    hash) unless --no-gallery, only when every check passed.
 *
 * DIR defaults to ./screenshots (./screenshots-kubernetes with --kubernetes). --keep leaves the stack running
 * (project observatory-screenshots; with --kubernetes, the cluster).
 */
import * as path from 'node:path';
import { ensureGrafanaUiImage } from '../images/grafana-ui-image.js';
import { missingTools, say } from './capture-run.js';
import { composeRun, type RunArgs } from './compose-run.js';
import { kubernetesRun } from './kubernetes-run.js';

const USAGE = 'usage: npm run screenshots [-- --kubernetes] [-- --out DIR] [-- --no-gallery] [-- --keep]';

function parseArgs(argv: readonly string[]): RunArgs & { kubernetes: boolean } {
  let out: string | undefined;
  const args = { gallery: true, keep: false, kubernetes: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--out') out = path.resolve(argv[++i] ?? 'screenshots');
    else if (a === '--no-gallery') args.gallery = false;
    else if (a === '--keep') args.keep = true;
    else if (a === '--kubernetes') args.kubernetes = true;
    else throw new Error(`unknown argument ${a}; ${USAGE}`);
  }
  return { ...args, out: out ?? path.resolve(args.kubernetes ? 'screenshots-kubernetes' : 'screenshots') };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  // The testcontainers reaper (Ryuk) is an image pulled from Docker Hub, which this machine cannot reach; the stack
  // is taken down below (as vitest.config.ts sets it for the end-to-end tests).
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  const missing = missingTools();
  if (missing.length > 0) throw new Error(`cannot take screenshots: ${missing.join('; ')}`);

  const ui = await ensureGrafanaUiImage({ log: (l) => say(`grafana UI: ${l.trim()}`) });
  const f = ui.frontend;
  say(
    `${ui.tag} (${ui.image.sizeMB ?? '?'} MB); frontend${ui.frontendCached ? ' cached, its' : ''} cold build ${f.seconds} s: ` +
      `yarn install ${f.install.seconds} s (peak RSS ${f.install.peakRssMB} MB), webpack ${f.webpack.seconds} s (peak RSS ${f.webpack.peakRssMB} MB)`,
  );
  const code = args.kubernetes ? await kubernetesRun(args, ui.tag) : await composeRun(args, ui.tag);
  say(`${code === 0 ? 'done' : 'failed'} in ${Math.round((Date.now() - started) / 1000)} s`);
  return code;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[screenshots] ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    process.exit(1);
  },
);
