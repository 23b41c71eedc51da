/**
 * The local image factory: builds `observatory.local/<component>:<catalog tag>` images FROM scratch out of
 * binaries built from the Go module proxy (see binaries.ts), laid out like the upstream images (entrypoint,
 * config paths, user, health-check tooling) so that compose files tested here also run with the real images.
 *
 *   node dist/test/images/build.js [component ...] [--force] [--list] [--no-images]
 *
 * Default components: collector jaeger victoriametrics vmalert loki alertmanager. `telemetrygen` may be named
 * too (a binary only). A binary or image that is present (same recipe) is not rebuilt; --force rebuilds both.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { imageCatalog } from '../../model/catalog.js';
import { packageRoot } from '../../model/package-root.js';
import { javaHome, OPENSEARCH_HOME } from './engines.js';
import {
  POSTGRES_DEBIAN_MAJOR,
  type BuildComponent,
  type ImageComponent,
  type Recipe,
  buildComponents,
  binaryDir,
  cacheRoot,
  cachedBuild,
  componentVersion,
  downloadModule,
  ensureComponentBinaries,
  imageComponents,
  isCatalogImage,
  recipeFor,
  recipeHash,
  run,
} from './binaries.js';

/** Where the health-check tooling (busybox) lives in an upstream image. */
interface Busybox {
  /** Path of the busybox binary. */
  readonly binary: string;
  /** Symlinks to it: the shell and wget, nothing more (the upstream images may have more applets). */
  readonly links: readonly string[];
}

interface FileInImage {
  readonly to: string;
  /** Source: `module:<path in the upstream module>` or `repo:<path in this repo>` or an absolute host path. */
  readonly from: string;
  /** Owned by the image user (else root). */
  readonly owned?: boolean;
  readonly mode?: number;
  /** When `from` is a directory: copy only files whose relative path matches this regex (default: all). */
  readonly include?: string;
}

/** Facts of the upstream image that the local image reproduces. */
export interface ImageLayout {
  /** Base of the upstream image, for the record (and the label). */
  readonly upstreamBase: string;
  /** binary name in the cache dir → path in the image. */
  readonly binaries: Readonly<Record<string, string>>;
  readonly entrypoint: readonly string[];
  readonly cmd?: readonly string[];
  readonly workdir: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly expose: readonly string[];
  readonly volumes?: readonly string[];
  readonly files?: readonly FileInImage[];
  /** Directories owned by the image user. */
  readonly ownedDirs?: readonly { path: string; mode: number }[];
  /** Health-check tooling of the upstream image: busybox (sh + wget) or none (scratch/distroless). */
  readonly busybox?: Busybox;
  /** Account name for /etc/passwd. */
  readonly userName: string;
  /** A root file tree in the binary cache dir (Recipe method `debian`), copied into the image as it is. */
  readonly tree?: string;
  /** The signal that stops the process (upstream's STOPSIGNAL). */
  readonly stopSignal?: string;
  /**
   * For images outside the catalog that reproduce an upstream image (the distributed engines): that image, and
   * the user it runs as. Default: none (a test tool of this repository), running as nobody.
   */
  readonly upstream?: { readonly image: string; readonly user: { readonly uid: number; readonly gid: number } };
  /**
   * A HEALTHCHECK of the image's own (exec form), for images outside the catalog that the tests' compose files use
   * as they are (the engines). The stack's images get none: their health checks are the rendered compose file's.
   */
  readonly healthcheck?: { readonly test: readonly string[]; readonly intervalSeconds: number; readonly retries: number };
}

const ALPINE_BUSYBOX: Busybox = { binary: '/bin/busybox', links: ['/bin/sh', '/usr/bin/wget'] };
const PATH_ENV = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Checked against the upstream sources of the pinned versions (Dockerfiles in the Go modules):
 * - collector: otel/opentelemetry-collector-contrib is FROM scratch, USER 10001:10001, /otelcol-contrib,
 *   config /etc/otelcol-contrib/config.yaml; no shell, no wget.
 * - jaeger (cmd/jaeger/Dockerfile + scripts/build/docker/base): FROM alpine:3.22 (busybox wget + sh),
 *   /cmd/jaeger/jaeger-linux, ENV JAEGER_LISTEN_HOST=0.0.0.0, VOLUME /tmp, USER 10001.
 * - victoria-metrics / vmalert (app/*\/deployment/Dockerfile, deployment/docker/Makefile ROOT_IMAGE):
 *   FROM alpine (busybox wget + sh), /victoria-metrics-prod, /vmalert-prod, no USER (root).
 * - loki 3.7 (cmd/loki/Dockerfile): FROM gcr.io/distroless/static:nonroot: no shell, no wget
 *   (`/usr/bin/loki -health` is its built-in health check), /loki and /etc/loki owned by 10001.
 * - alertmanager (Dockerfile): FROM quay.io/prometheus/busybox (sh + wget in /bin), USER nobody,
 *   WORKDIR /alertmanager, VOLUME /alertmanager.
 * - grafana (Dockerfile, packaging/docker/run.sh): FROM alpine + `apk add ca-certificates bash curl tzdata
 *   musl-utils` (busybox wget + sh, also curl and bash: the local image carries only wget + sh), USER 472:0,
 *   WORKDIR /usr/share/grafana (bin/grafana, conf/), GF_PATHS_* env, /etc/grafana/grafana.ini = conf/sample.ini,
 *   data/logs/plugins/provisioning dirs owned by 472:0 mode 777, no VOLUME; ENTRYPOINT /run.sh (bash) execs
 *   `grafana server` with the args below. Without the frontend build the backend serves its HTTP API; it needs
 *   public/emails (startup fails without) and the core plugins' plugin.json (else no prometheus/loki/... plugin).
 * - postgres (docker-library/postgres 18/alpine3.22): busybox (sh, wget and the other applets its scripts use),
 *   user postgres 70:70, ENTRYPOINT docker-entrypoint.sh, CMD postgres, STOPSIGNAL SIGINT, VOLUME /var/lib/postgresql
 *   owned by postgres, /var/run/postgresql owned by postgres mode 3777 (the socket), pg_isready for health checks.
 *   The server and tools are Debian's (see POSTGRES_DEBIAN_MAJOR in binaries.ts), on their Debian paths; the
 *   entrypoint is ours (test/images/postgres/docker-entrypoint.sh), doing what the stack relies on of upstream's.
 * - gofakes3 (Dockerfile in the module): FROM scratch, CA certificates, the binary as /main, no USER (root), EXPOSE 9000,
 *   CMD ["/main", "-backend", "mem"]. The local image makes /main the entrypoint (so a command is only flags), adds
 *   /data for the fs backend, and busybox wget for its HEALTHCHECK (upstream's has none and no tool for one).
 * - opensearch (opensearch-build docker/release: opensearch.al2023.dockerfile, opensearch-docker-entrypoint-2.x.sh):
 *   USER 1000:1000, OPENSEARCH_HOME /usr/share/opensearch owned by it (WORKDIR), config/opensearch.yml with
 *   `network.host: 0.0.0.0`, console-only log4j2.properties, ENTRYPOINT ./opensearch-docker-entrypoint.sh, CMD
 *   opensearch; dotted environment variables become `-E` settings. The entrypoint is ours
 *   (test/images/opensearch/docker-entrypoint.sh, POSIX sh on busybox) and the Java runtime Debian's (engines.ts).
 */
export const imageLayouts: Record<ImageComponent, ImageLayout> = {
  collector: {
    upstreamBase: 'scratch',
    binaries: { otelcol: '/otelcol-contrib' },
    entrypoint: ['/otelcol-contrib'],
    cmd: ['--config', '/etc/otelcol-contrib/config.yaml'],
    workdir: '/',
    // No default config baked in: every component in it would have to be in the distribution manifest,
    // which lists exactly what the generated configs use. Deployments mount the generated config.
    expose: ['4317', '4318'],
    userName: 'otel',
  },
  jaeger: {
    upstreamBase: 'alpine:3.22',
    binaries: { jaeger: '/cmd/jaeger/jaeger-linux' },
    entrypoint: ['/cmd/jaeger/jaeger-linux'],
    workdir: '/',
    env: { JAEGER_LISTEN_HOST: '0.0.0.0' },
    expose: ['5778', '5779', '4317', '4318', '14268', '14250', '9411', '16686', '13132', '13133'],
    volumes: ['/tmp'],
    files: [
      { to: '/cmd/jaeger/sampling-strategies.json', from: 'module:cmd/jaeger/sampling-strategies.json', mode: 0o644 },
      { to: '/etc/mime.types', from: '/etc/mime.types', mode: 0o644 },
    ],
    busybox: ALPINE_BUSYBOX,
    userName: 'jaeger',
  },
  victoriametrics: {
    upstreamBase: 'alpine',
    binaries: { 'victoria-metrics': '/victoria-metrics-prod' },
    entrypoint: ['/victoria-metrics-prod'],
    workdir: '/',
    expose: ['8428'],
    busybox: ALPINE_BUSYBOX,
    userName: 'nobody',
  },
  vmalert: {
    upstreamBase: 'alpine',
    binaries: { vmalert: '/vmalert-prod' },
    entrypoint: ['/vmalert-prod'],
    workdir: '/',
    expose: ['8880'],
    busybox: ALPINE_BUSYBOX,
    userName: 'nobody',
  },
  loki: {
    upstreamBase: 'gcr.io/distroless/static:nonroot',
    binaries: { loki: '/usr/bin/loki' },
    entrypoint: ['/usr/bin/loki'],
    cmd: ['-config.file=/etc/loki/local-config.yaml'],
    workdir: '/',
    expose: ['3100'],
    files: [{ to: '/etc/loki/local-config.yaml', from: 'module:cmd/loki/loki-docker-config.yaml', owned: true, mode: 0o644 }],
    ownedDirs: [
      { path: '/etc/loki', mode: 0o755 },
      { path: '/loki', mode: 0o755 },
      { path: '/loki/rules', mode: 0o755 },
      { path: '/loki/rules-temp', mode: 0o755 },
    ],
    userName: 'loki',
  },
  postgres: {
    upstreamBase: 'alpine:3.22',
    binaries: {},
    tree: 'rootfs',
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['postgres'],
    workdir: '/',
    env: { PATH: `/usr/lib/postgresql/${POSTGRES_DEBIAN_MAJOR}/bin:${PATH_ENV}`, PGDATA: '/var/lib/postgresql/data' },
    expose: ['5432'],
    volumes: ['/var/lib/postgresql'],
    files: [{ to: '/usr/local/bin/docker-entrypoint.sh', from: 'repo:test/images/postgres/docker-entrypoint.sh', mode: 0o755 }],
    ownedDirs: [
      { path: '/var/lib/postgresql', mode: 0o755 },
      { path: '/var/run/postgresql', mode: 0o3777 },
    ],
    busybox: {
      binary: '/bin/busybox',
      links: [
        '/bin/sh', '/usr/bin/wget', '/bin/cat', '/bin/chmod', '/bin/cp', '/bin/date', '/bin/ls', '/bin/mkdir', '/bin/mktemp', '/bin/mv',
        '/bin/rm', '/bin/sleep', '/bin/touch', '/usr/bin/find', '/usr/bin/head', '/usr/bin/id', '/usr/bin/sort', '/usr/bin/tail', '/usr/bin/wc',
      ],
    },
    userName: 'postgres',
    stopSignal: 'SIGINT',
  },
  gofakes3: {
    upstreamBase: 'scratch (+ ca-certificates)',
    upstream: { image: 'github.com/johannesboyne/gofakes3 Dockerfile (no published image)', user: { uid: 0, gid: 0 } },
    binaries: { gofakes3: '/main' },
    entrypoint: ['/main'],
    cmd: ['-backend', 'mem'],
    workdir: '/',
    expose: ['9000'],
    volumes: ['/data'],
    ownedDirs: [{ path: '/data', mode: 0o755 }],
    busybox: { binary: '/bin/busybox', links: ['/bin/sh', '/usr/bin/wget'] },
    // GET / is ListBuckets: answered once the listener is up and the backend opened.
    healthcheck: { test: ['/usr/bin/wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:9000/'], intervalSeconds: 2, retries: 15 },
    userName: 'root',
  },
  opensearch: {
    upstreamBase: 'amazonlinux:2023 (+ the bundled JDK, curl)',
    upstream: { image: 'opensearchproject/opensearch', user: { uid: 1000, gid: 1000 } },
    binaries: {},
    tree: 'rootfs',
    entrypoint: [`${OPENSEARCH_HOME}/opensearch-docker-entrypoint.sh`],
    cmd: ['opensearch'],
    workdir: OPENSEARCH_HOME,
    env: {
      OPENSEARCH_HOME,
      OPENSEARCH_PATH_CONF: `${OPENSEARCH_HOME}/config`,
      JAVA_HOME: javaHome(),
      PATH: `${PATH_ENV}:${javaHome()}/bin:${OPENSEARCH_HOME}/bin`,
    },
    expose: ['9200', '9300'],
    files: [
      { to: `${OPENSEARCH_HOME}/opensearch-docker-entrypoint.sh`, from: 'repo:test/images/opensearch/docker-entrypoint.sh', mode: 0o755 },
      { to: `${OPENSEARCH_HOME}/config/opensearch.yml`, from: 'repo:test/images/opensearch/opensearch.yml', owned: true, mode: 0o644 },
      { to: `${OPENSEARCH_HOME}/config/log4j2.properties`, from: 'repo:test/images/opensearch/log4j2.properties', owned: true, mode: 0o644 },
    ],
    ownedDirs: [
      { path: `${OPENSEARCH_HOME}/config`, mode: 0o775 },
      { path: `${OPENSEARCH_HOME}/data`, mode: 0o775 },
      { path: `${OPENSEARCH_HOME}/logs`, mode: 0o775 },
    ],
    busybox: { binary: '/bin/busybox', links: ['/bin/sh', '/usr/bin/wget', '/usr/bin/id', '/bin/mktemp', '/usr/bin/tr'] },
    userName: 'opensearch',
  },
  'webhook-sink': {
    upstreamBase: 'scratch (a test tool of this repository)',
    binaries: { 'webhook-sink': '/webhook-sink' },
    entrypoint: ['/webhook-sink'],
    workdir: '/',
    expose: ['8080'],
    userName: 'nobody',
  },
  alertmanager: {
    upstreamBase: 'quay.io/prometheus/busybox',
    binaries: { alertmanager: '/bin/alertmanager', amtool: '/bin/amtool' },
    entrypoint: ['/bin/alertmanager'],
    cmd: ['--config.file=/etc/alertmanager/alertmanager.yml', '--storage.path=/alertmanager'],
    workdir: '/alertmanager',
    expose: ['9093'],
    volumes: ['/alertmanager'],
    files: [{ to: '/etc/alertmanager/alertmanager.yml', from: 'module:examples/ha/alertmanager.yml', owned: true, mode: 0o644 }],
    ownedDirs: [
      { path: '/etc/alertmanager', mode: 0o755 },
      { path: '/alertmanager', mode: 0o775 },
    ],
    busybox: { binary: '/bin/busybox', links: ['/bin/sh', '/bin/wget'] },
    userName: 'nobody',
  },
  grafana: {
    upstreamBase: 'alpine (+ ca-certificates bash curl tzdata musl-utils)',
    binaries: { grafana: '/usr/share/grafana/bin/grafana' },
    // What /run.sh execs (no bash here); the GF_PATHS_* env below is read by Grafana itself too.
    entrypoint: [
      '/usr/share/grafana/bin/grafana', 'server', '--homepath=/usr/share/grafana', '--config=/etc/grafana/grafana.ini',
      '--packaging=docker',
    ],
    cmd: [
      'cfg:default.log.mode=console', 'cfg:default.paths.data=/var/lib/grafana', 'cfg:default.paths.logs=/var/log/grafana',
      'cfg:default.paths.plugins=/var/lib/grafana/plugins', 'cfg:default.paths.provisioning=/etc/grafana/provisioning',
    ],
    workdir: '/usr/share/grafana',
    env: {
      PATH: `/usr/share/grafana/bin:${PATH_ENV}`,
      GF_PATHS_CONFIG: '/etc/grafana/grafana.ini',
      GF_PATHS_DATA: '/var/lib/grafana',
      GF_PATHS_HOME: '/usr/share/grafana',
      GF_PATHS_LOGS: '/var/log/grafana',
      GF_PATHS_PLUGINS: '/var/lib/grafana/plugins',
      GF_PATHS_PROVISIONING: '/etc/grafana/provisioning',
    },
    expose: ['3000'],
    files: [
      { to: '/usr/share/grafana/conf', from: 'module:conf' },
      { to: '/etc/grafana/grafana.ini', from: 'module:conf/sample.ini' },
      { to: '/etc/grafana/ldap.toml', from: 'module:conf/ldap.toml' },
      { to: '/usr/share/grafana/public/emails', from: 'module:public/emails' },
      { to: '/usr/share/grafana/public/app/plugins', from: 'module:public/app/plugins', include: '(^|/)plugin\\.json$' },
    ],
    ownedDirs: [
      { path: '/var/lib/grafana', mode: 0o777 },
      { path: '/var/lib/grafana/plugins', mode: 0o777 },
      { path: '/var/log/grafana', mode: 0o777 },
      { path: '/usr/share/grafana/.aws', mode: 0o777 },
      { path: '/etc/grafana/provisioning', mode: 0o777 },
      ...['datasources', 'dashboards', 'notifiers', 'plugins', 'access-control', 'alerting'].map((d) => ({
        path: `/etc/grafana/provisioning/${d}`,
        mode: 0o777,
      })),
    ],
    busybox: ALPINE_BUSYBOX,
    userName: 'grafana',
  },
};

const BUSYBOX_HOST = process.env.OBSERVATORY_BUSYBOX ?? '/bin/busybox';
const CA_CERTS_HOST = '/etc/ssl/certs/ca-certificates.crt';

/** `observatory.local/<component>:<version>`, the version the image really holds (see Recipe.builtVersion). */
export function imageTag(component: ImageComponent): string {
  return `observatory.local/${component}:${recipeFor(component).builtVersion ?? componentVersion(component)}`;
}

/** 'wget' when the image carries busybox wget (like its upstream image); else 'self' or 'none' as the catalog says. */
export function imageHttpCheckTool(component: ImageComponent): 'wget' | 'self' | 'none' {
  if (imageLayouts[component].busybox) return 'wget';
  return isCatalogImage(component) && imageCatalog[component].httpCheckTool === 'self' ? 'self' : 'none';
}

/** The user an image runs as: the catalog's for the stack's images; nobody for the tests' own tools. */
function imageUser(component: ImageComponent): { uid: number; gid: number } {
  if (isCatalogImage(component)) return imageCatalog[component].user;
  return imageLayouts[component].upstream?.user ?? { uid: 65534, gid: 65534 };
}

/** The upstream image a local image reproduces (none for the tests' own tools). */
function upstreamRef(component: ImageComponent): string {
  if (!isCatalogImage(component)) return imageLayouts[component].upstream?.image ?? 'none (a test tool of this repository)';
  const cat = imageCatalog[component];
  return `${cat.registry}/${cat.repository}:${cat.tag}`;
}

/** Differences between the catalog's httpCheckTool and what the upstream image really contains. */
export function catalogMismatches(): string[] {
  const out: string[] = [];
  for (const c of imageComponents.filter(isCatalogImage)) {
    const catalogTool = imageCatalog[c].httpCheckTool;
    const actual = imageHttpCheckTool(c);
    if (catalogTool !== actual) {
      out.push(
        `${c}: model/catalog.ts says httpCheckTool '${catalogTool}', but the upstream image ` +
          `(${imageCatalog[c].repository}:${imageCatalog[c].tag}, base ${imageLayouts[c].upstreamBase}) has '${actual}'; ` +
          `the local image follows upstream`,
      );
    }
  }
  return out;
}

function docker(args: readonly string[], logFile: string, allowFailure = false): Promise<{ code: number; output: string }> {
  return run('docker', args, { cwd: os.tmpdir(), env: { ...process.env, DOCKER_BUILDKIT: '0' }, logFile, allowFailure });
}

async function imageLabel(tag: string, logFile: string): Promise<string | undefined> {
  const res = await docker(['image', 'inspect', '--format', '{{index .Config.Labels "observatory.recipe"}}', tag], logFile, true);
  return res.code === 0 ? res.output.trim() : undefined;
}

export async function imageSizeMB(tag: string): Promise<number | undefined> {
  const logFile = path.join(cacheRoot(), 'logs', 'docker.log');
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const res = await docker(['image', 'inspect', '--format', '{{.Size}}', tag], logFile, true);
  return res.code === 0 ? Math.round(Number(res.output.trim()) / 1e5) / 10 : undefined;
}

/**
 * An image to build from a component's binaries: its upstream layout under its tag, or a variant of it (another
 * tag and layout, e.g. Grafana with its web UI: grafana-ui-image.ts) with what else went into it.
 */
export interface ImageTarget {
  readonly component: ImageComponent;
  readonly tag: string;
  readonly layout: ImageLayout;
  /** The recipe hash of inputs beyond the binaries and the layout (e.g. a frontend build). */
  readonly extraInputs?: string;
}

function imageRecipeHash(target: ImageTarget, binaryHash: string): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(target.layout));
  h.update(JSON.stringify(imageUser(target.component)));
  h.update(binaryHash);
  if (target.extraInputs) h.update(target.extraInputs);
  for (const f of target.layout.files ?? []) {
    if (f.from.startsWith('repo:')) h.update(fs.readFileSync(path.join(packageRoot(), f.from.slice('repo:'.length))));
  }
  h.update(fs.readFileSync(fileURLToPath(import.meta.url)));
  return h.digest('hex').slice(0, 16);
}

export interface ImageResult {
  component: BuildComponent;
  version: string;
  tag?: string;
  binaryCached: boolean;
  imageCached: boolean;
  binarySeconds: number;
  imageSeconds: number;
  coldBinarySeconds?: number;
  sizeMB?: number;
  error?: string;
}

export interface EnsureImageOptions {
  force?: boolean;
  log?: (line: string) => void;
}

/** Builds the binaries (if needed) and the image (if missing or outdated); returns what it did. */
export function ensureImage(component: ImageComponent, options: EnsureImageOptions = {}): Promise<ImageResult> {
  return ensureImageOf({ component, tag: imageTag(component), layout: imageLayouts[component] }, options);
}

/** ensureImage for a target: the component's binaries in the target's layout, under the target's tag. */
export async function ensureImageOf(target: ImageTarget, options: EnsureImageOptions = {}): Promise<ImageResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const { component, tag } = target;
  const version = componentVersion(component);
  const logFile = path.join(cacheRoot(), 'logs', `${tag.replace(/^.*\//, '').replace(':', '-')}-image.log`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.writeFileSync(logFile, `# ${new Date().toISOString()} ${tag}\n`);

  const bin = await ensureComponentBinaries(component, { force: options.force, log });
  const wanted = imageRecipeHash(target, bin.stamp.recipeHash);
  const present = await imageLabel(tag, logFile);
  if (present === wanted && !options.force) {
    return {
      component, version, tag, binaryCached: bin.cached, imageCached: true, binarySeconds: bin.seconds, imageSeconds: 0,
      coldBinarySeconds: bin.stamp.seconds, sizeMB: await imageSizeMB(tag),
    };
  }
  if (present !== undefined && present !== wanted) log(`    image ${tag} exists from another recipe (${present || 'no label'}); rebuilding`);
  log(`    docker build -t ${tag} (FROM scratch)`);
  const started = Date.now();
  const ctx = fs.mkdtempSync(path.join(os.tmpdir(), `observatory-image-${component}-`));
  try {
    await writeContext(target, bin.dir, ctx, wanted, logFile);
    await docker(['build', '--no-cache', '-t', tag, ctx], logFile);
  } finally {
    fs.rmSync(ctx, { recursive: true, force: true });
  }
  return {
    component, version, tag, binaryCached: bin.cached, imageCached: false, binarySeconds: bin.seconds,
    imageSeconds: (Date.now() - started) / 1000, coldBinarySeconds: bin.stamp.seconds, sizeMB: await imageSizeMB(tag),
  };
}

/** Copies the files of a directory tree (those whose relative path matches `include`): dirs 0755, files `mode`. */
function copyTree(from: string, to: string, include: RegExp | undefined, mode: number): void {
  for (const entry of fs.readdirSync(from, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const rel = path.relative(from, path.join(entry.parentPath, entry.name));
    if (include && !include.test(rel)) continue;
    const dest = path.join(to, rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true, mode: 0o755 });
    fs.copyFileSync(path.join(from, rel), dest);
    fs.chmodSync(dest, mode);
  }
}

function put(root: string, inImage: string): string {
  const p = path.join(root, inImage);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  return p;
}

async function writeContext(target: ImageTarget, binDir: string, ctx: string, recipe: string, logFile: string): Promise<void> {
  const { component, layout } = target;
  const { uid, gid } = imageUser(component);
  const rootfs = path.join(ctx, 'rootfs');
  const owned = path.join(ctx, 'owned');
  fs.mkdirSync(rootfs);
  fs.mkdirSync(owned);
  if (layout.tree) await run('cp', ['-a', `${path.join(binDir, layout.tree)}/.`, rootfs], { cwd: ctx, logFile });

  for (const [name, to] of Object.entries(layout.binaries)) {
    const dest = put(rootfs, to);
    fs.copyFileSync(path.join(binDir, name), dest);
    fs.chmodSync(dest, 0o755);
  }
  if (!fs.existsSync(CA_CERTS_HOST)) throw new Error(`${CA_CERTS_HOST} missing on this host (apt-get install ca-certificates)`);
  fs.copyFileSync(CA_CERTS_HOST, put(rootfs, '/etc/ssl/certs/ca-certificates.crt'));
  fs.chmodSync(path.join(rootfs, 'etc/ssl/certs/ca-certificates.crt'), 0o644);

  const tmp = put(rootfs, '/tmp');
  fs.mkdirSync(tmp, { recursive: true });
  fs.chmodSync(tmp, 0o1777);

  const userName = layout.userName;
  const groupName = userName === 'nobody' ? 'nogroup' : userName;
  const passwd = ['root:x:0:0:root:/root:/sbin/nologin'];
  const group = ['root:x:0:'];
  if (uid !== 0) passwd.push(`${userName}:x:${uid}:${gid}:${userName}:/nonexistent:/sbin/nologin`);
  if (gid !== 0) group.push(`${groupName}:x:${gid}:`);
  fs.writeFileSync(put(rootfs, '/etc/passwd'), `${passwd.join('\n')}\n`, { mode: 0o644 });
  fs.writeFileSync(put(rootfs, '/etc/group'), `${group.join('\n')}\n`, { mode: 0o644 });

  let moduleDir: string | undefined;
  for (const f of layout.files ?? []) {
    let source: string;
    if (f.from.startsWith('module:')) {
      const r = recipeFor(component);
      moduleDir ??= await downloadModule(r.module, r.moduleVersion, logFile);
      source = path.join(moduleDir, f.from.slice('module:'.length));
    } else if (f.from.startsWith('repo:')) {
      source = path.join(packageRoot(), f.from.slice('repo:'.length));
    } else {
      source = f.from;
    }
    if (!fs.existsSync(source)) throw new Error(`${component} image: ${source} missing (for ${f.to})`);
    const dest = put(f.owned ? owned : rootfs, f.to);
    if (fs.statSync(source).isDirectory()) {
      copyTree(source, dest, f.include === undefined ? undefined : new RegExp(f.include), f.mode ?? 0o644);
      continue;
    }
    fs.copyFileSync(source, dest);
    fs.chmodSync(dest, f.mode ?? 0o644);
  }
  for (const d of layout.ownedDirs ?? []) {
    const p = path.join(owned, d.path);
    fs.mkdirSync(p, { recursive: true });
    fs.chmodSync(p, d.mode);
  }

  if (layout.busybox) {
    const bb = layout.busybox;
    if (!fs.existsSync(BUSYBOX_HOST)) {
      throw new Error(`${BUSYBOX_HOST} missing: install Debian's static busybox (apt-get install -y busybox-static) for the ${component} image's wget`);
    }
    const dest = put(rootfs, bb.binary);
    fs.copyFileSync(BUSYBOX_HOST, dest);
    fs.chmodSync(dest, 0o755);
    for (const link of bb.links) fs.symlinkSync(bb.binary, put(rootfs, link));
  }

  const json = (a: readonly string[]): string => JSON.stringify(a);
  const lines = ['FROM scratch', 'COPY rootfs/ /'];
  // One COPY per owned root: `COPY --chown owned/ /` would also chown parents such as /etc.
  const ownedDirs = (layout.ownedDirs ?? []).map((d) => d.path);
  const inside = (p: string, dir: string): boolean => p.startsWith(`${dir}/`);
  const ownedRoots = [
    ...ownedDirs.filter((d) => !ownedDirs.some((o) => inside(d, o))),
    ...(layout.files ?? []).filter((f) => f.owned && !ownedDirs.some((o) => inside(f.to, o))).map((f) => f.to),
  ];
  // COPY of a directory copies its contents, not the directory, whose mode would be lost (e.g. 0777): so each
  // root goes one level down in owned-roots/<i>/ and is copied into its parent (which rootfs/ creates, root-owned).
  for (const [i, r] of ownedRoots.entries()) {
    const wrap = path.join(ctx, 'owned-roots', String(i));
    fs.mkdirSync(wrap, { recursive: true });
    fs.renameSync(path.join(owned, r), path.join(wrap, path.basename(r)));
    fs.mkdirSync(path.join(rootfs, path.dirname(r)), { recursive: true });
    lines.push(`COPY --chown=${uid}:${gid} ${json([`owned-roots/${i}/`, path.join(path.dirname(r), '/')])}`);
  }
  const env: Record<string, string> = { ...(layout.busybox ? { PATH: PATH_ENV } : {}), ...(layout.env ?? {}) };
  for (const [k, v] of Object.entries(env)) lines.push(`ENV ${k}=${v}`);
  lines.push(`WORKDIR ${layout.workdir}`);
  for (const p of layout.expose) lines.push(`EXPOSE ${p}`);
  for (const v of layout.volumes ?? []) lines.push(`VOLUME ${json([v])}`);
  lines.push(
    `LABEL observatory.recipe="${recipe}" observatory.upstream="${upstreamRef(component)}" ` +
      `observatory.upstream-base="${layout.upstreamBase}" org.opencontainers.image.version="${recipeFor(component).builtVersion ?? componentVersion(component)}"`,
  );
  if (layout.stopSignal) lines.push(`STOPSIGNAL ${layout.stopSignal}`);
  if (layout.healthcheck) {
    const h = layout.healthcheck;
    lines.push(`HEALTHCHECK --interval=${h.intervalSeconds}s --timeout=${h.intervalSeconds}s --retries=${h.retries} CMD ${json(h.test)}`);
  }
  lines.push(`USER ${uid}:${gid}`);
  lines.push(`ENTRYPOINT ${json(layout.entrypoint)}`);
  if (layout.cmd) lines.push(`CMD ${json(layout.cmd)}`);
  fs.writeFileSync(path.join(ctx, 'Dockerfile'), `${lines.join('\n')}\n`);
}

// ---------------------------------------------------------------------------------------------------------------
// CLI

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function printTable(rows: readonly string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows) console.log(r.map((c, i) => pad(c, widths[i]!)).join('  ').trimEnd());
}

function buildAction(recipe: Recipe): string {
  if (recipe.method === 'ocb') return 'OCB build';
  if (recipe.method === 'debian') return `stage Debian packages ${recipe.module} ${recipe.moduleVersion}`;
  if (recipe.method === 'maven') return `Maven ${recipe.module} (+ Debian ${(recipe.debianPackages ?? []).map((p) => p.name).join(', ') || 'nothing'})`;
  return `go build ${recipe.module}@${recipe.moduleVersion}`;
}

async function listComponents(): Promise<void> {
  const rows: string[][] = [['component', 'version', 'source', 'image', 'binary cached', 'image present']];
  for (const c of buildComponents) {
    const r = recipeFor(c);
    const isImage = (imageComponents as readonly string[]).includes(c);
    const size = isImage ? await imageSizeMB(imageTag(c as ImageComponent)) : undefined;
    rows.push([
      c,
      r.version,
      r.method === 'ocb'
        ? `OCB ${r.moduleVersion} (collector/distribution/builder-config.yaml)`
        : r.method === 'debian'
          ? `Debian ${r.module} ${r.moduleVersion}`
          : r.method === 'maven'
            ? `Maven ${r.module}`
            : `${r.module}@${r.moduleVersion}`,
      isImage ? imageTag(c as ImageComponent) : '-',
      cachedBuild(c) ? `yes (${binaryDir(c)})` : 'no',
      isImage ? (size !== undefined ? `yes (${size} MB)` : 'no') : '-',
    ]);
  }
  printTable(rows);
  for (const m of catalogMismatches()) console.log(`note: ${m}`);
}

async function main(argv: readonly string[]): Promise<number> {
  const flags = new Set(argv.filter((a) => a.startsWith('-')));
  const unknownFlags = [...flags].filter((f) => !['--force', '--list', '--no-images', '--help', '-h'].includes(f));
  if (unknownFlags.length > 0 || flags.has('--help') || flags.has('-h')) {
    console.log('usage: node dist/test/images/build.js [component ...] [--force] [--list] [--no-images]');
    console.log(`components: ${buildComponents.join(' ')} (default: ${imageComponents.join(' ')})`);
    return unknownFlags.length > 0 ? 2 : 0;
  }
  if (flags.has('--list')) {
    await listComponents();
    return 0;
  }
  const names = argv.filter((a) => !a.startsWith('-'));
  const unknown = names.filter((n) => !(buildComponents as readonly string[]).includes(n));
  if (unknown.length > 0) {
    console.error(`unknown component(s): ${unknown.join(', ')}; known: ${buildComponents.join(', ')}`);
    return 2;
  }
  const selected = (names.length > 0 ? names : [...imageComponents]) as BuildComponent[];
  const force = flags.has('--force');
  const noImages = flags.has('--no-images');
  for (const m of catalogMismatches()) console.log(`note: ${m}`);
  console.log(`cache: ${cacheRoot()}`);

  const results: ImageResult[] = [];
  const total = Date.now();
  for (const [i, c] of selected.entries()) {
    const version = componentVersion(c);
    const recipe = recipeFor(c);
    const prefix = `[${i + 1}/${selected.length}] ${c} ${version}:`;
    const log = (line: string): void => console.log(`${prefix}${line.replace(/^\s*/, ' ')}`);
    const willBuild = !cachedBuild(c) || force;
    console.log(
      `${prefix} ${willBuild ? buildAction(recipe) : 'binaries cached'}`,
    );
    if (recipe.note) console.log(`${prefix} note: ${recipe.note}`);
    try {
      if (noImages || !(imageComponents as readonly string[]).includes(c)) {
        const bin = await ensureComponentBinaries(c, { force, log });
        results.push({
          component: c, version, binaryCached: bin.cached, imageCached: true, binarySeconds: bin.seconds, imageSeconds: 0,
          coldBinarySeconds: bin.stamp.seconds,
        });
      } else {
        const res = await ensureImage(c as ImageComponent, { force, log });
        results.push(res);
      }
      const r = results[results.length - 1]!;
      console.log(`${prefix} done in ${(r.binarySeconds + r.imageSeconds).toFixed(1)} s${r.tag ? ` → ${r.tag}` : ''}`);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      console.error(`${prefix} FAILED: ${message}`);
      results.push({ component: c, version, binaryCached: false, imageCached: false, binarySeconds: 0, imageSeconds: 0, error: message.split('\n')[0] });
    }
  }

  console.log('');
  const rows: string[][] = [['component', 'version', 'build s', 'cold binary s', 'image MB', 'cached', 'result']];
  for (const r of results) {
    rows.push([
      r.component,
      r.version,
      (r.binarySeconds + r.imageSeconds).toFixed(1),
      r.coldBinarySeconds !== undefined ? r.coldBinarySeconds.toFixed(0) : '-',
      r.sizeMB !== undefined ? r.sizeMB.toFixed(1) : '-',
      r.error ? '-' : r.binaryCached && r.imageCached ? 'yes' : r.binaryCached ? 'binary' : 'no',
      r.error ? 'FAILED' : 'ok',
    ]);
  }
  printTable(rows);
  const failed = results.filter((r) => r.error);
  console.log(`total ${((Date.now() - total) / 1000).toFixed(0)} s`);
  if (failed.length > 0) {
    for (const f of failed) console.error(`FAILED ${f.component} ${f.version}: ${f.error}`);
    return 1;
  }
  return 0;
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.stack ?? err.message : err);
      process.exit(1);
    },
  );
}
