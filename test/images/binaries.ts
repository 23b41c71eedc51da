/**
 * Go binaries of the pinned upstream components, built from the Go module proxy and cached by version.
 *
 * Used by the image factory (build.ts) and by tests that run upstream validators directly:
 *   otelcol validate --config f, jaeger validate --config f, vmalert -dryRun -rule=f,
 *   amtool check-config f, loki -verify-config -config.file=f.
 *
 *   import { binaryPath, ensureBinary } from '../images/binaries.js';
 *   const otelcol = await ensureBinary('otelcol');   // builds on first use (minutes), then cached
 *   binaryPath('amtool');                            // where it is (or will be); no build
 *
 * Cache: ${OBSERVATORY_CACHE:-${XDG_CACHE_HOME:-~/.cache}/observatory}/bin/<component>-<version>/
 * Versions come from model/catalog.ts (the image tag); OBSERVATORY_TAG_<COMPONENT> (e.g.
 * OBSERVATORY_TAG_VICTORIAMETRICS=v1.150.0) overrides one for a local experiment.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DISTRIBUTION_MANIFEST, parseDistribution, versionMismatches } from '../../collector/distribution.js';
import { imageCatalog } from '../../model/catalog.js';
import { packageRoot } from '../../model/package-root.js';
import { installedDebianVersion, stageDebianPackages, type DebianPackageFiles } from './debian.js';
import { engineComponents, engineComponentVersion, engineRecipe, type EngineComponent } from './engines.js';
import { stageMavenArchive, type MavenArchive } from './maven.js';
import { clusterComponents, clusterComponentVersion, clusterRecipe, KUBERNETES_BINARIES, type ClusterComponent } from '../cluster/recipes.js';
import { pulumiComponents, pulumiComponentVersion, pulumiRecipe, type PulumiComponent } from '../pulumi/recipes.js';

/** Components the factory builds (all but the tools telemetrygen and compose also get an image). */
export const buildComponents = [
  'collector',
  'jaeger',
  'victoriametrics',
  'vmalert',
  'loki',
  'alertmanager',
  'grafana',
  'postgres',
  'telemetrygen',
  'compose',
  'webhook-sink',
  // The test cluster's (test/cluster/recipes.ts), and the candidates built on request only.
  ...clusterComponents,
  // What `npm run test:pulumi` runs (test/pulumi/recipes.ts).
  ...pulumiComponents,
  // The distributed engines of `scale: distributed` (test/images/engines.ts): an S3 server and OpenSearch.
  ...engineComponents,
] as const;
export type BuildComponent = (typeof buildComponents)[number];

/** Components that get a docker image (in build order: cheapest first is no use; heaviest last keeps feedback quick). */
export const imageComponents = [
  'collector', 'jaeger', 'victoriametrics', 'vmalert', 'loki', 'alertmanager', 'grafana', 'postgres', 'webhook-sink', ...engineComponents,
] as const;
export type ImageComponent = (typeof imageComponents)[number];
/**
 * Images of the stack's own components (in the catalog), as opposed to the tests' own tools and the engines that
 * stand in for the managed services a distributed stack is pointed at (test/images/engines.ts).
 */
export type CatalogImageComponent = Exclude<ImageComponent, 'webhook-sink' | EngineComponent>;
export const isCatalogImage = (c: ImageComponent): c is CatalogImageComponent =>
  c !== 'webhook-sink' && !(engineComponents as readonly string[]).includes(c);

/** The end-to-end test's webhook receiver (test/images/webhook-sink, a main module of ours, no dependencies). */
export const WEBHOOK_SINK_VERSION = '1.0.0';

/**
 * telemetrygen is only a load generator (no image, not in the catalog). v0.152.0 is not served by the
 * reachable module proxy (403); v0.161.0 is the newest that is.
 */
export const TELEMETRYGEN_VERSION = 'v0.161.0';

/**
 * Docker Compose (v2 CLI, Go module github.com/docker/compose/v5), installed as the `docker compose` CLI plugin
 * for the end-to-end tests, since Debian ships only the old docker-compose 1.x. v5.6.0 is the newest whose go.mod
 * builds with this machine's Go 1.26.8; its `exclude` directives make `go install` refuse it, so it is built
 * from a module copy.
 */
export const COMPOSE_VERSION = 'v5.6.0';

/**
 * Jaeger v2 releases are tagged v1.x for Go (module github.com/jaegertracing/jaeger).
 * Add a line when the catalog moves.
 */
const JAEGER_GO_MODULE_VERSION: Readonly<Record<string, string>> = {
  '2.13.0': 'v1.76.0',
};

/**
 * Grafana's Go module is github.com/grafana/grafana (no /vN suffix), so its v12.x tags are no Go versions: only
 * pseudo-versions v1.9.2-0.<commit time>-<commit> exist. The reachable module proxy serves none from 11.x or 12.x
 * (nor the 12.x nested modules such as pkg/apimachinery: 403); the newest it serves is the one grafana/grok
 * requires, commit 81d85ce8028d of 2023-06-09 (main after the 10.0 cut, "10.0.0-preview"). Its backend serves the
 * HTTP API the tests use (/api/health, provisioning), so it STANDS IN for the catalog version; the binary reports
 * its real version in /api/health. Replace the entry once the proxy serves the catalog version.
 */
const GRAFANA_GO_MODULE: Readonly<Record<string, { moduleVersion: string; version: string; commit: string; time: number }>> = {
  '12.3.1': { moduleVersion: 'v1.9.2-0.20230609164553-81d85ce8028d', version: '10.0.0-preview', commit: '81d85ce8028d', time: 1686329153 },
};

/** Module paths whose checksums the reachable sum database does not (all) serve; go.sum still pins them. */
const GONOSUMDB = 'go.opentelemetry.io,github.com/open-telemetry';

/**
 * A code generator run in the module copy before building: a tool installed with `go install <tool>` (`module/cmd/x@version`),
 * or without `tool` a `go run <args>` of the module's own generator (e.g. a `//go:generate go run ./generate.go`,
 * which needs `dir` and `env` like `go generate` would give it).
 */
export interface GenerateStep {
  readonly tool?: string;
  readonly args: readonly string[];
  /** Folder of the module copy it runs in. Default: the module root. */
  readonly dir?: string;
  readonly env?: Readonly<Record<string, string>>;
}

interface BinarySpec {
  /** File name in the cache dir. */
  readonly name: string;
  /** Package to build, relative to the module root (copy builds) — unused for OCB. */
  readonly pkg: string;
}

export interface Recipe {
  readonly component: BuildComponent;
  /** Version as the image is tagged (the catalog tag, e.g. '3.7.8', 'v1.150.0'). */
  readonly version: string;
  readonly module: string;
  readonly moduleVersion: string;
  /**
   * ocb: OpenTelemetry Collector Builder with collector/distribution/builder-config.yaml; copy: module copy + go build;
   * local: a main module in this repository (`module` is its folder); debian: files of installed Debian packages
   * (`debianPackages`; `module` is the main package) staged as a root file tree named by the one binary entry;
   * maven: archives from Maven Central (`mavenArchives`; `module` is the main one's coordinates) unpacked into
   * such a tree, with the files of `debianPackages` (e.g. a Java runtime) beside them.
   */
  readonly method: 'ocb' | 'copy' | 'local' | 'debian' | 'maven';
  readonly binaries: readonly BinarySpec[];
  /** Extra -ldflags (version stamping like upstream's release builds); -s -w are always added. */
  readonly ldflags: string;
  readonly tags: string;
  /**
   * `replace` lines added to the upstream go.mod (copy builds) for dependencies the reachable module proxy does
   * not serve at the required version: the nearest served version instead (of `with`, a fork, when given), with
   * the reason.
   */
  readonly replaces?: readonly { readonly module: string; readonly with?: string; readonly version: string; readonly why: string }[];
  /**
   * The version the binaries really are when the catalog version cannot be built here and an older one stands in
   * for it; the image is tagged with it, so nothing claims to be what it is not.
   */
  readonly builtVersion?: string;
  /** Files written into the module copy before building (e.g. an embedded web UI the module zip lacks). */
  readonly extraFiles?: readonly { readonly path: string; readonly content: string; readonly why: string }[];
  /**
   * Exact text replacements in the module copy (copy builds), each of text found exactly once: for code that
   * needs what the reachable module proxy does not serve, when no served version stands in for it.
   */
  readonly edits?: readonly { readonly path: string; readonly from: string; readonly to: string; readonly why: string }[];
  /** Build with CGO_ENABLED=1 (e.g. for mattn/go-sqlite3); ldflags must then link statically. */
  readonly cgo?: boolean;
  /** Code generators run in the module copy before building. */
  readonly generate?: readonly GenerateStep[];
  /**
   * For `copy` builds: the version of nested modules that go.mod requires as v0.0.0 and replaces with a folder
   * the module zip leaves out (Kubernetes' ./staging/src/k8s.io/*), taken from the module proxy instead.
   */
  readonly localReplaceVersion?: { readonly version: string; readonly why: string };
  /** Printed by the image factory (e.g. a stand-in version). */
  readonly note?: string;
  /** For `debian` and `maven`: the packages and which of their files the image gets. */
  readonly debianPackages?: readonly DebianPackageFiles[];
  /** For `maven`: the archives and where they go in the tree. */
  readonly mavenArchives?: readonly MavenArchive[];
}

/**
 * PostgreSQL for the image factory. No Go module builds it, and no registry serves the catalog's postgres image:
 * Maven Central's relocatable binaries (io.zonky.test.postgres:embedded-postgres-binaries-*, 18.1.0 among them)
 * ship only initdb, pg_ctl and postgres (no pg_dump, pg_restore, psql or pg_isready, by the maintainers' choice),
 * and pg_dump refuses a server of a newer major version, so no older client can make up for them. So the image
 * is Debian bookworm's PostgreSQL 15, server and client tools of one version, tagged with that version.
 */
export const POSTGRES_DEBIAN_MAJOR = '15';
const POSTGRES_DEBIAN_PACKAGES: readonly DebianPackageFiles[] = [
  // No JIT (llvmjit and its bitcode would bring LLVM: the server runs without it, as upstream's alpine images do).
  { name: `postgresql-${POSTGRES_DEBIAN_MAJOR}`, include: `^/usr/(lib|share)/postgresql/${POSTGRES_DEBIAN_MAJOR}/(?!lib/bitcode/|lib/llvmjit|man/)` },
  { name: `postgresql-client-${POSTGRES_DEBIAN_MAJOR}`, include: `^/usr/lib/postgresql/${POSTGRES_DEBIAN_MAJOR}/bin/` },
  { name: 'libpq5', include: '/libpq\\.so' },
  // Debian builds PostgreSQL --with-system-tzdata=/usr/share/zoneinfo.
  { name: 'tzdata', include: '^/usr/share/zoneinfo/(?!right/)' },
];

const isClusterComponent = (c: BuildComponent): c is ClusterComponent => (clusterComponents as readonly string[]).includes(c);
const isPulumiComponent = (c: BuildComponent): c is PulumiComponent => (pulumiComponents as readonly string[]).includes(c);
const isEngineComponent = (c: BuildComponent): c is EngineComponent => (engineComponents as readonly string[]).includes(c);

const catalogKeyOf: Record<
  Exclude<BuildComponent, 'telemetrygen' | 'compose' | 'webhook-sink' | ClusterComponent | PulumiComponent | EngineComponent>,
  keyof typeof imageCatalog
> = {
  collector: 'collector',
  jaeger: 'jaeger',
  victoriametrics: 'victoriametrics',
  vmalert: 'vmalert',
  loki: 'loki',
  alertmanager: 'alertmanager',
  grafana: 'grafana',
  postgres: 'postgres',
};

/** The version (image tag) a component is built at: the catalog tag unless overridden by env. */
export function componentVersion(component: BuildComponent): string {
  const override = process.env[`OBSERVATORY_TAG_${component.toUpperCase()}`];
  if (override) return override;
  if (component === 'telemetrygen') return TELEMETRYGEN_VERSION;
  if (component === 'compose') return COMPOSE_VERSION;
  if (component === 'webhook-sink') return WEBHOOK_SINK_VERSION;
  if (isClusterComponent(component)) return clusterComponentVersion[component];
  if (isPulumiComponent(component)) return pulumiComponentVersion[component];
  if (isEngineComponent(component)) return engineComponentVersion[component];
  return imageCatalog[catalogKeyOf[component]].tag;
}

const vPrefixed = (tag: string): string => (tag.startsWith('v') ? tag : `v${tag}`);

export function recipeFor(component: BuildComponent): Recipe {
  const version = componentVersion(component);
  if (isClusterComponent(component)) return clusterRecipe(component, version);
  if (isPulumiComponent(component)) return pulumiRecipe(component, version);
  if (isEngineComponent(component)) return engineRecipe(component, version);
  switch (component) {
    case 'collector':
      return {
        component,
        version,
        module: 'go.opentelemetry.io/collector/cmd/builder',
        moduleVersion: vPrefixed(version),
        method: 'ocb',
        binaries: [{ name: 'otelcol', pkg: '.' }],
        ldflags: '',
        tags: '',
      };
    case 'jaeger': {
      const moduleVersion = JAEGER_GO_MODULE_VERSION[version.replace(/^v/, '')];
      if (!moduleVersion) {
        throw new Error(
          `jaeger ${version}: no Go module version known for it; add it to JAEGER_GO_MODULE_VERSION in test/images/binaries.ts ` +
            `(Jaeger v2.x.y is tagged v1.(x+63).y for Go, check with: go list -m github.com/jaegertracing/jaeger@v1.N.0)`,
        );
      }
      return {
        component,
        version,
        module: 'github.com/jaegertracing/jaeger',
        moduleVersion,
        method: 'copy',
        binaries: [{ name: 'jaeger', pkg: './cmd/jaeger' }],
        ldflags:
          `-X github.com/jaegertracing/jaeger/internal/version.latestVersion=${vPrefixed(version)}` +
          ` -X github.com/jaegertracing/jaeger/internal/version.commitSHA=${moduleVersion}`,
        tags: '',
      };
    }
    case 'victoriametrics':
    case 'vmalert': {
      const app = component === 'victoriametrics' ? 'victoria-metrics' : 'vmalert';
      const binaries: BinarySpec[] =
        component === 'victoriametrics'
          ? [{ name: 'victoria-metrics', pkg: './app/victoria-metrics' }]
          : [
              { name: 'vmalert', pkg: './app/vmalert' },
              { name: 'vmalert-tool', pkg: './app/vmalert-tool' },
            ];
      return {
        component,
        version,
        module: 'github.com/VictoriaMetrics/VictoriaMetrics',
        moduleVersion: vPrefixed(version),
        method: 'copy',
        binaries,
        ldflags: `-X 'github.com/VictoriaMetrics/VictoriaMetrics/lib/buildinfo.Version=${app}-observatory-${vPrefixed(version)}'`,
        tags: '',
        ...(component === 'vmalert' && version === 'v1.150.0'
          ? {
              replaces: [
                {
                  module: 'github.com/prometheus/client_golang/exp',
                  version: 'v0.0.0-20260724065723-ecdb8254ba61',
                  why: 'v0.0.0-20260723095000-436bf2e0fb60 (required by v1.150.0) answers 403 on the reachable proxy; this is the next served commit, a day later',
                },
              ],
            }
          : {}),
      };
    }
    case 'loki':
      return {
        component,
        version,
        module: 'github.com/grafana/loki/v3',
        moduleVersion: vPrefixed(version),
        method: 'copy',
        binaries: [{ name: 'loki', pkg: './cmd/loki' }],
        ldflags:
          `-X github.com/grafana/loki/v3/pkg/util/build.Version=${version}` +
          ` -X github.com/grafana/loki/v3/pkg/util/build.Branch=release` +
          ` -X github.com/grafana/loki/v3/pkg/util/build.Revision=${vPrefixed(version)}`,
        tags: 'netgo',
      };
    case 'alertmanager':
      return {
        component,
        version,
        module: 'github.com/prometheus/alertmanager',
        moduleVersion: vPrefixed(version),
        method: 'copy',
        binaries: [
          { name: 'alertmanager', pkg: './cmd/alertmanager' },
          { name: 'amtool', pkg: './cmd/amtool' },
        ],
        ldflags:
          `-X github.com/prometheus/common/version.Version=${version.replace(/^v/, '')}` +
          ` -X github.com/prometheus/common/version.Revision=${vPrefixed(version)}` +
          ` -X github.com/prometheus/common/version.Branch=release`,
        tags: 'netgo',
        extraFiles: [
          {
            path: 'ui/app/dist/index.html',
            content:
              '<!doctype html><title>Alertmanager</title><p>This Alertmanager was built by Observatory\'s test image factory ' +
              'without its web UI (the UI is built with npm and Elm, which this build cannot fetch). The API is complete: /api/v2/.</p>\n',
            why: 'ui/web.go embeds ui/app/dist, the built web UI, which the module zip does not contain',
          },
        ],
      };
    case 'grafana': {
      const src = GRAFANA_GO_MODULE[version.replace(/^v/, '')];
      if (!src) {
        throw new Error(
          `grafana ${version}: no Go module version known for it; add it to GRAFANA_GO_MODULE in test/images/binaries.ts ` +
            `(github.com/grafana/grafana has only pseudo-versions v1.9.2-0.<commit time>-<commit>; check one with: ` +
            `go mod download -json github.com/grafana/grafana@v1.9.2-0.YYYYMMDDhhmmss-<12-char commit>)`,
        );
      }
      return {
        component,
        version,
        module: 'github.com/grafana/grafana',
        moduleVersion: src.moduleVersion,
        method: 'copy',
        binaries: [{ name: 'grafana', pkg: './pkg/cmd/grafana' }],
        // Stamped like upstream's release builds (pkg/build/cmd.go), static like its musl builds: mattn/go-sqlite3,
        // the only SQLite driver of this Grafana, needs cgo, so glibc is linked statically for the FROM scratch image.
        ldflags:
          '-linkmode external -extldflags -static' +
          ` -X main.version=${src.version} -X main.commit=${src.commit} -X main.buildBranch=main -X main.buildstamp=${src.time}`,
        tags: 'oss,netgo,osusergo,sqlite_omit_load_extension',
        cgo: true,
        // pkg/server/wire_gen.go is generated (`make gen-go`), not in the module; wire v0.7.0 because the old
        // x/tools of the v0.5.0 that Grafana's go.mod pins panics under current Go.
        generate: [{ tool: 'github.com/google/wire/cmd/wire@v0.7.0', args: ['gen', '-tags', 'oss', './pkg/server'] }],
        ...(src.version !== version
          ? {
              builtVersion: src.version,
              note: `stand-in: Grafana ${src.version} (commit ${src.commit}), the newest the Go module proxy serves, in place of ${version}`,
            }
          : {}),
      };
    }
    case 'postgres': {
      const main = POSTGRES_DEBIAN_PACKAGES[0]!.name;
      const installed = installedDebianVersion(main);
      // 15.18-0+deb12u1 → 15.18: the PostgreSQL version, which the image is tagged with.
      const built = installed?.replace(/-[^-]*$/, '') ?? 'not-installed';
      return {
        component,
        version,
        module: main,
        moduleVersion: installed ?? 'not installed',
        method: 'debian',
        binaries: [{ name: 'rootfs', pkg: '/' }],
        ldflags: '',
        tags: '',
        debianPackages: POSTGRES_DEBIAN_PACKAGES,
        builtVersion: built,
        note: `stand-in: PostgreSQL ${built} from Debian bookworm's ${main} in place of ${version} (see POSTGRES_DEBIAN_MAJOR in test/images/binaries.ts)`,
      };
    }
    case 'webhook-sink':
      return {
        component,
        version,
        module: 'test/images/webhook-sink',
        moduleVersion: version,
        method: 'local',
        binaries: [{ name: 'webhook-sink', pkg: '.' }],
        ldflags: '',
        tags: '',
      };
    case 'compose':
      return {
        component,
        version,
        module: 'github.com/docker/compose/v5',
        moduleVersion: vPrefixed(version),
        method: 'copy',
        binaries: [{ name: 'docker-compose', pkg: './cmd' }],
        ldflags: `-X github.com/docker/compose/v5/internal.Version=${vPrefixed(version)}`,
        tags: '',
      };
    case 'telemetrygen':
      return {
        component,
        version,
        module: 'github.com/open-telemetry/opentelemetry-collector-contrib/cmd/telemetrygen',
        moduleVersion: vPrefixed(version),
        method: 'copy',
        binaries: [{ name: 'telemetrygen', pkg: '.' }],
        ldflags: '',
        tags: '',
      };
  }
}

/** Binary name (or component name) → component that builds it. */
const binaryOwner: Record<string, BuildComponent> = {
  otelcol: 'collector',
  collector: 'collector',
  jaeger: 'jaeger',
  'victoria-metrics': 'victoriametrics',
  victoriametrics: 'victoriametrics',
  vmalert: 'vmalert',
  'vmalert-tool': 'vmalert',
  loki: 'loki',
  alertmanager: 'alertmanager',
  amtool: 'alertmanager',
  grafana: 'grafana',
  postgres: 'postgres',
  telemetrygen: 'telemetrygen',
  'docker-compose': 'compose',
  compose: 'compose',
  'webhook-sink': 'webhook-sink',
  ...Object.fromEntries(KUBERNETES_BINARIES.map((b) => [b, 'kubernetes'])),
  kubernetes: 'kubernetes',
  etcd: 'etcd',
  coredns: 'coredns',
  'kube-router': 'kube-router',
  'local-path-provisioner': 'local-path-provisioner',
  'cluster-tools': 'cluster-tools',
  pause: 'cluster-tools',
  httpget: 'cluster-tools',
  netprobe: 'cluster-tools',
  otlpsend: 'cluster-tools',
  traefik: 'traefik',
  ...Object.fromEntries(pulumiComponents.map((c) => [c, c])),
  ...Object.fromEntries(engineComponents.map((c) => [c, c])),
};

function resolveBinary(name: string): { component: BuildComponent; binary: string } {
  const component = binaryOwner[name];
  if (!component) {
    throw new Error(`unknown binary or component '${name}'; known: ${Object.keys(binaryOwner).join(', ')}`);
  }
  const recipe = recipeFor(component);
  const binary = recipe.binaries.some((b) => b.name === name) ? name : recipe.binaries[0]!.name;
  return { component, binary };
}

// ---------------------------------------------------------------------------------------------------------------
// Paths

export function cacheRoot(): string {
  if (process.env.OBSERVATORY_CACHE) return path.resolve(process.env.OBSERVATORY_CACHE);
  const xdg = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(xdg, 'observatory');
}

export function manifestPath(): string {
  return path.join(packageRoot(), DISTRIBUTION_MANIFEST);
}

/** Cache dir of a component's binaries: <cache>/bin/<component>-<version>/ */
export function binaryDir(component: BuildComponent): string {
  return path.join(cacheRoot(), 'bin', `${component}-${componentVersion(component)}`);
}

/**
 * Absolute path of a binary ('otelcol', 'jaeger', 'victoria-metrics', 'vmalert', 'vmalert-tool', 'loki',
 * 'alertmanager', 'amtool', 'telemetrygen') or of a component's main binary ('collector', 'victoriametrics').
 * Does not build: use ensureBinary for that.
 */
export function binaryPath(component: string): string {
  const { component: owner, binary } = resolveBinary(component);
  return path.join(binaryDir(owner), binary);
}

// ---------------------------------------------------------------------------------------------------------------
// Build

export interface BuildStamp {
  component: BuildComponent;
  version: string;
  module: string;
  moduleVersion: string;
  recipeHash: string;
  seconds: number;
  builtAt: string;
  go: string;
}

export interface EnsureResult {
  dir: string;
  cached: boolean;
  /** Seconds this call spent building (0 when cached). */
  seconds: number;
  stamp: BuildStamp;
}

export interface EnsureOptions {
  force?: boolean;
  /** Progress lines; default: stderr. */
  log?: (line: string) => void;
}

/** Hash of everything that determines the binaries (recipe + OCB manifest). */
export function recipeHash(recipe: Recipe): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(recipe));
  if (recipe.method === 'ocb') h.update(fs.readFileSync(manifestPath()));
  // A Debian package upgrade (e.g. the Java runtime beside a Maven archive) changes what is staged.
  if (recipe.method === 'maven') for (const p of recipe.debianPackages ?? []) h.update(`${p.name}=${installedDebianVersion(p.name) ?? 'not installed'}`);
  if (recipe.method === 'local') {
    const dir = path.join(packageRoot(), recipe.module);
    const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
    for (const f of files) h.update(f).update(fs.readFileSync(path.join(dir, f)));
  }
  h.update('factory-v1');
  return h.digest('hex').slice(0, 16);
}

function readStamp(dir: string): BuildStamp | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'build.json'), 'utf8')) as BuildStamp;
  } catch {
    return undefined;
  }
}

/** The stamp of a component's cached binaries when they are present and match the current recipe. */
export function cachedBuild(component: BuildComponent): BuildStamp | undefined {
  const recipe = recipeFor(component);
  const dir = binaryDir(component);
  const stamp = readStamp(dir);
  if (!stamp || stamp.recipeHash !== recipeHash(recipe)) return undefined;
  if (!recipe.binaries.every((b) => fs.existsSync(path.join(dir, b.name)))) return undefined;
  return stamp;
}

/** Builds (when missing) the binaries of the component owning `name` and returns the binary's path. */
export async function ensureBinary(name: string, options: EnsureOptions = {}): Promise<string> {
  const { component, binary } = resolveBinary(name);
  const result = await ensureComponentBinaries(component, options);
  return path.join(result.dir, binary);
}

export async function ensureComponentBinaries(component: BuildComponent, options: EnsureOptions = {}): Promise<EnsureResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const recipe = recipeFor(component);
  const dir = binaryDir(component);
  if (!options.force) {
    const stamp = cachedBuild(component);
    if (stamp) return { dir, cached: true, seconds: 0, stamp };
  }
  const release = await acquireLock('go-build', log);
  try {
    // Another process may have built it while we waited.
    if (!options.force) {
      const stamp = cachedBuild(component);
      if (stamp) return { dir, cached: true, seconds: 0, stamp };
    }
    const started = Date.now();
    const stamp = await buildRecipe(recipe, dir, log);
    return { dir, cached: false, seconds: (Date.now() - started) / 1000, stamp };
  } finally {
    release();
  }
}

class CommandError extends Error {}

interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  logFile: string;
  /** Return output instead of throwing on a non-zero exit. */
  allowFailure?: boolean;
}

/** Runs a command, appending its output to logFile; throws with the last lines of output on failure. */
export function run(cmd: string, args: readonly string[], opts: RunOptions): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    fs.appendFileSync(opts.logFile, `\n$ (cd ${opts.cwd} && ${cmd} ${args.join(' ')})\n`);
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    const onData = (d: Buffer): void => {
      chunks.push(d);
      fs.appendFileSync(opts.logFile, d);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (err) => reject(new CommandError(`${cmd}: ${err.message}`)));
    child.on('close', (code) => {
      const output = Buffer.concat(chunks).toString('utf8');
      if (code !== 0 && !opts.allowFailure) {
        const tail = output.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('go: downloading')).slice(-25).join('\n');
        reject(new CommandError(`'${cmd} ${args.join(' ')}' failed (exit ${code}) in ${opts.cwd}; log: ${opts.logFile}\n${tail}`));
      } else {
        resolve({ code: code ?? -1, output });
      }
    });
  });
}

function goEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CGO_ENABLED: '0',
    GOFLAGS: '-mod=mod -buildvcs=false',
    GONOSUMDB: [process.env.GONOSUMDB, GONOSUMDB].filter(Boolean).join(','),
    GOWORK: 'off',
    ...extra,
  };
}

interface ModuleInfo {
  Path?: string;
  Version?: string;
  Dir?: string;
  GoMod?: string;
  Error?: string;
}

/** `go mod download -json module@version` → its (read-only) folder in the module cache. */
export async function downloadModule(module: string, version: string, logFile: string): Promise<string> {
  const res = await run('go', ['mod', 'download', '-json', `${module}@${version}`], {
    cwd: os.tmpdir(),
    env: goEnv(),
    logFile,
    allowFailure: true,
  });
  let info: ModuleInfo = {};
  try {
    info = JSON.parse(res.output.slice(res.output.indexOf('{'))) as ModuleInfo;
  } catch {
    /* reported below */
  }
  if (info.Error || !info.Dir || res.code !== 0) {
    const why = info.Error ?? res.output.trim().split('\n').slice(-3).join(' ');
    throw new Error(
      `the Go module proxy does not serve ${module}@${version}: ${why}\n` +
        `  → pin a version it serves (list: go list -m -versions ${module}; check one: go mod download -json ${module}@vX.Y.Z)`,
    );
  }
  return info.Dir;
}

async function buildRecipe(recipe: Recipe, dir: string, log: (line: string) => void): Promise<BuildStamp> {
  const root = cacheRoot();
  const logDir = path.join(root, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${recipe.component}-${recipe.version}.log`);
  fs.writeFileSync(logFile, `# ${new Date().toISOString()} ${recipe.component} ${recipe.version}\n`);
  const work = path.join(root, 'work', `${recipe.component}-${recipe.version}-${process.pid}`);
  const out = `${dir}.tmp-${process.pid}`;
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  fs.mkdirSync(out, { recursive: true });
  const started = Date.now();
  const goVersion = (await run('go', ['env', 'GOVERSION'], { cwd: os.tmpdir(), logFile })).output.trim();
  try {
    if (recipe.method === 'ocb') await buildWithOcb(recipe, work, out, logFile, log);
    else if (recipe.method === 'debian') buildFromDebian(recipe, out, logFile, log);
    else if (recipe.method === 'maven') buildFromMaven(recipe, out, logFile, log);
    else if (recipe.method === 'local') await buildLocalModule(recipe, work, out, logFile, log);
    else await buildFromModuleCopy(recipe, work, out, logFile, log);
    const stamp: BuildStamp = {
      component: recipe.component,
      version: recipe.version,
      module: recipe.module,
      moduleVersion: recipe.moduleVersion,
      recipeHash: recipeHash(recipe),
      seconds: Math.round((Date.now() - started) / 100) / 10,
      builtAt: new Date().toISOString(),
      go: goVersion,
    };
    fs.writeFileSync(path.join(out, 'build.json'), `${JSON.stringify(stamp, null, 2)}\n`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(out, dir);
    return stamp;
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
    await run('chmod', ['-R', 'u+w', work], { cwd: root, logFile, allowFailure: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Checks that the manifest builds the catalog's collector version (dist.version and every v0.x module). */
export function checkManifest(manifest: string, version: string): void {
  const problems = versionMismatches(parseDistribution(manifest), version);
  if (problems.length > 0) {
    throw new Error(`${DISTRIBUTION_MANIFEST} does not match the catalog's collector ${version}: ${problems.join('; ')}`);
  }
}

async function buildWithOcb(recipe: Recipe, work: string, out: string, logFile: string, log: (l: string) => void): Promise<void> {
  const manifest = fs.readFileSync(manifestPath(), 'utf8');
  checkManifest(manifest, recipe.version);
  const toolDir = path.join(cacheRoot(), 'tools', `builder-${recipe.moduleVersion}`);
  const builder = path.join(toolDir, 'builder');
  if (!fs.existsSync(builder)) {
    log(`    go install ${recipe.module}@${recipe.moduleVersion}`);
    await run('go', ['install', `${recipe.module}@${recipe.moduleVersion}`], {
      cwd: os.tmpdir(),
      env: goEnv({ GOBIN: toolDir }),
      logFile,
    });
  }
  const src = path.join(work, 'src');
  const cfg = path.join(work, 'builder-config.yaml');
  if (!/^\s+output_path:.*$/m.test(manifest)) throw new Error('builder-config.yaml: dist.output_path missing');
  fs.writeFileSync(cfg, manifest.replace(/^(\s+output_path:).*$/m, `$1 ${src}`));
  const env = goEnv();
  log('    ocb: generate sources');
  await run(builder, ['--config', cfg, '--skip-get-modules', '--skip-compilation'], { cwd: work, env, logFile });
  // The builder's own `go mod tidy` fails on test-only modules of dependencies that the reachable proxy does not
  // serve (e.g. go.opentelemetry.io/collector/extension/extensionauth/extensionauthtest@v0.152.0, 403), so tidy
  // tolerantly ourselves; the build itself does not need them.
  const goDirective = /^go\s+(\d+\.\d+)/m.exec(fs.readFileSync(path.join(src, 'go.mod'), 'utf8'))?.[1];
  log('    ocb: go mod tidy -e (download modules)');
  await run('go', ['mod', 'tidy', '-e', ...(goDirective ? [`-compat=${goDirective}`] : [])], { cwd: src, env, logFile });
  log('    ocb: go build (CGO_ENABLED=0 -trimpath -ldflags "-s -w")');
  await run(builder, ['--config', cfg, '--skip-generate', '--skip-get-modules'], { cwd: work, env, logFile });
  fs.copyFileSync(path.join(src, 'otelcol'), path.join(out, 'otelcol'));
  fs.chmodSync(path.join(out, 'otelcol'), 0o755);
}

/** A `replace X [vY] => ./dir` line of a go.mod, with the version of X that the go.mod requires (if any). */
export interface LocalReplace {
  readonly line: string;
  readonly module: string;
  readonly target: string;
  readonly required: string | undefined;
}

/** The replace directives of a go.mod (single lines and `replace ( ... )` blocks) that point at a local folder. */
export function localReplaces(goMod: string): LocalReplace[] {
  // [ \t], not \s: a match must not run from a `replace (` line into the next one.
  const replaceRe = /^[ \t]*(?:replace[ \t]+)?(\S+)(?:[ \t]+v\S+)?[ \t]+=>[ \t]+(\.{1,2}\/\S*)[ \t]*$/gm;
  return [...goMod.matchAll(replaceRe)].map(([line, module, target]) => {
    const escaped = module!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const required = new RegExp(`^[ \\t]*(?:require[ \\t]+)?${escaped}[ \\t]+(v\\S+)`, 'm').exec(goMod)?.[1];
    return { line, module: module!, target: target!, required };
  });
}

/**
 * Points `replace X => ./local/dir` lines whose folder is not in the module zip (nested modules are left out of
 * it) at the module cache copy of X at the version the go.mod requires.
 */
async function fixLocalReplaces(
  modDir: string,
  logFile: string,
  log: (l: string) => void,
  placeholderVersion?: Recipe['localReplaceVersion'],
): Promise<void> {
  const goModPath = path.join(modDir, 'go.mod');
  let goMod = fs.readFileSync(goModPath, 'utf8');
  const fixes: Array<{ line: string; replacement: string }> = [];
  for (const r of localReplaces(goMod)) {
    if (fs.existsSync(path.join(modDir, r.target, 'go.mod'))) continue;
    if (!r.required) {
      // Go 1.17+ go.mod files list every module of the build graph: one it does not require is not built.
      log(`    replace ${r.module} => ${r.target}: not in the module zip and not required; dropped`);
      fixes.push({ line: r.line, replacement: '' });
      continue;
    }
    const required = r.required === 'v0.0.0' && placeholderVersion ? placeholderVersion.version : r.required;
    log(`    replace ${r.module} => ${r.target}: not in the module zip; using ${r.module}@${required} from the module cache`);
    const cached = await downloadModule(r.module, required, logFile);
    fixes.push({ line: r.line, replacement: r.line.replace(/=>([ \t]+)\S+/, `=>$1${cached}`) });
  }
  for (const f of fixes) goMod = goMod.replace(f.line, f.replacement);
  if (fixes.length > 0) fs.writeFileSync(goModPath, goMod);
}

function buildFromDebian(recipe: Recipe, out: string, logFile: string, log: (l: string) => void): void {
  const root = path.join(out, recipe.binaries[0]!.name);
  log(`    stage ${(recipe.debianPackages ?? []).map((p) => p.name).join(' ')} (installed Debian packages) and their shared libraries`);
  const staged = stageDebianPackages(recipe.debianPackages ?? [], root, logFile);
  log(`    staged ${staged.files} files and ${staged.libraries} shared libraries`);
}

function buildFromMaven(recipe: Recipe, out: string, logFile: string, log: (l: string) => void): void {
  const root = path.join(out, recipe.binaries[0]!.name);
  fs.mkdirSync(root, { recursive: true });
  for (const a of recipe.mavenArchives ?? []) {
    log(`    Maven ${a.coordinates}:${a.packaging} → ${a.to} (mvn dependency:get, SHA-512 checked)`);
    const { downloaded } = stageMavenArchive(a, root, cacheRoot(), logFile);
    log(`    ${downloaded ? 'downloaded' : 'cached'}: ${a.coordinates}:${a.packaging}`);
  }
  if ((recipe.debianPackages ?? []).length > 0) {
    log(`    stage ${(recipe.debianPackages ?? []).map((p) => p.name).join(' ')} (installed Debian packages) and their shared libraries`);
    const staged = stageDebianPackages(recipe.debianPackages ?? [], root, logFile);
    log(`    staged ${staged.files} files and ${staged.libraries} shared libraries`);
  }
}

async function buildLocalModule(recipe: Recipe, work: string, out: string, logFile: string, log: (l: string) => void): Promise<void> {
  const src = path.join(work, 'src');
  await run('cp', ['-R', path.join(packageRoot(), recipe.module), src], { cwd: work, logFile });
  for (const b of recipe.binaries) {
    log(`    go build -trimpath -o ${b.name} ${b.pkg} (${recipe.module})`);
    await run('go', ['build', '-trimpath', '-ldflags', '-s -w', '-o', path.join(out, b.name), b.pkg], { cwd: src, env: goEnv(), logFile });
  }
}

/** Replaces `from` by `to` in a file of the module copy; throws unless `from` occurs exactly once. */
function applyEdit(src: string, edit: NonNullable<Recipe['edits']>[number], log: (l: string) => void): void {
  const file = path.join(src, edit.path);
  const text = fs.readFileSync(file, 'utf8');
  const count = text.split(edit.from).length - 1;
  if (count !== 1) throw new Error(`edit of ${edit.path}: expected the text to replace exactly once, found it ${count} times: ${JSON.stringify(edit.from)}`);
  log(`    edit ${edit.path} (${edit.why})`);
  fs.writeFileSync(file, text.replace(edit.from, () => edit.to));
}

async function buildFromModuleCopy(recipe: Recipe, work: string, out: string, logFile: string, log: (l: string) => void): Promise<void> {
  log(`    go mod download ${recipe.module}@${recipe.moduleVersion}`);
  const cached = await downloadModule(recipe.module, recipe.moduleVersion, logFile);
  const src = path.join(work, 'src');
  await run('cp', ['-R', cached, src], { cwd: work, logFile });
  await run('chmod', ['-R', 'u+w', src], { cwd: work, logFile });
  // Extra files first: they may restore a replaced nested module's folder (its go.mod), which
  // fixLocalReplaces then leaves alone.
  for (const f of recipe.extraFiles ?? []) {
    log(`    add ${f.path} (${f.why})`);
    fs.mkdirSync(path.dirname(path.join(src, f.path)), { recursive: true });
    fs.writeFileSync(path.join(src, f.path), f.content);
  }
  await fixLocalReplaces(src, logFile, log, recipe.localReplaceVersion);
  const env = goEnv(recipe.cgo ? { CGO_ENABLED: '1' } : {});
  for (const r of recipe.replaces ?? []) {
    log(`    replace ${r.module} => ${r.with ?? r.module} ${r.version} (${r.why})`);
    await run('go', ['mod', 'edit', `-replace=${r.module}=${r.with ?? r.module}@${r.version}`], { cwd: src, env, logFile });
  }
  for (const e of recipe.edits ?? []) applyEdit(src, e, log);
  for (const g of recipe.generate ?? []) await runGenerator(g, src, logFile, log);
  for (const b of recipe.binaries) {
    log(`    go build -trimpath -o ${b.name} ${b.pkg}`);
    const args = ['build', '-trimpath', '-ldflags', `-s -w ${recipe.ldflags}`.trim()];
    if (recipe.tags) args.push('-tags', recipe.tags);
    args.push('-o', path.join(out, b.name), b.pkg);
    await run('go', args, { cwd: src, env, logFile });
  }
}

async function runGenerator(g: GenerateStep, src: string, logFile: string, log: (l: string) => void): Promise<void> {
  const cwd = path.join(src, g.dir ?? '.');
  const env = goEnv(g.env);
  const shownEnv = Object.entries(g.env ?? {}).map(([k, v]) => `${k}=${v} `).join('');
  if (!g.tool) {
    log(`    (cd ${g.dir ?? '.'} && ${shownEnv}go run ${g.args.join(' ')})`);
    await run('go', ['run', ...g.args], { cwd, env, logFile });
    return;
  }
  const toolModule = g.tool.split('@')[0]!;
  const toolDir = path.join(cacheRoot(), 'tools', path.basename(g.tool).replace('@', '-'));
  const tool = path.join(toolDir, path.basename(toolModule));
  if (!fs.existsSync(tool)) {
    log(`    go install ${g.tool}`);
    await run('go', ['install', g.tool], { cwd: os.tmpdir(), env: goEnv({ GOBIN: toolDir }), logFile });
  }
  log(`    ${shownEnv}${path.basename(toolModule)} ${g.args.join(' ')}`);
  await run(tool, g.args, { cwd, env, logFile });
}

// ---------------------------------------------------------------------------------------------------------------
// A lock file so that concurrent test workers / CLI runs never run two heavy Go builds at once.

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Waits for and takes the named lock (a file holding our pid; a dead holder's lock is cleared); returns its release. */
export async function acquireLock(name: string, log: (line: string) => void): Promise<() => void> {
  const dir = path.join(cacheRoot(), 'locks');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.lock`);
  let announced = false;
  for (;;) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => fs.rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let content = '';
    try {
      content = fs.readFileSync(file, 'utf8').trim();
    } catch {
      continue;
    }
    if (content === '') {
      // Just created by its holder, pid not written yet (or the holder died in between: then clear it).
      const age = Date.now() - (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 10_000) fs.rmSync(file, { force: true });
      else await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    const holder = Number(content);
    if (!Number.isFinite(holder) || holder <= 0 || !pidAlive(holder)) {
      fs.rmSync(file, { force: true });
      continue;
    }
    if (!announced) {
      log(`    waiting for another build (pid ${holder}, lock ${file})`);
      announced = true;
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}
