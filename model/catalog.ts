/**
 * The image catalog: every upstream image the stack runs, pinned to an exact version.
 * Facts recorded here are facts of the upstream image (its user, what a health check can run inside it),
 * so that renderers and the test image factory agree with what the real images contain.
 */
export interface CatalogImage {
  /** Repository path on the upstream registry, without registry host when it is Docker Hub. */
  readonly repository: string;
  /** Registry host of the upstream image; `docker.io` for Docker Hub. */
  readonly registry: string;
  /** Exact upstream tag. */
  readonly tag: string;
  /** The UID/GID the image runs as (or must be run as when the image declares none). */
  readonly user: { readonly uid: number; readonly gid: number };
  /**
   * What an in-container health check can use: `wget` (busybox or GNU), `curl`, `python`, `self` (the
   * image's own binary has a health-check mode, see `selfCheck`), or `none` (scratch/distroless images
   * without a shell; such a service gets no compose healthcheck).
   */
  readonly httpCheckTool: 'wget' | 'curl' | 'python' | 'self' | 'none';
  /** For `self`: the command that checks a URL, with `{url}` where the URL goes. */
  readonly selfCheck?: readonly string[];
  /**
   * Directories the image ships owned by `user`. A named volume mounted there starts with that owner,
   * so the process can write it without a chown step (Kubernetes uses fsGroup instead).
   */
  readonly ownedPaths: readonly string[];
}

export const imageCatalog = {
  collector: {
    registry: 'docker.io',
    repository: 'otel/opentelemetry-collector-contrib',
    tag: '0.152.0',
    user: { uid: 10001, gid: 10001 },
    httpCheckTool: 'none',
    ownedPaths: [],
  },
  victoriametrics: {
    registry: 'docker.io',
    repository: 'victoriametrics/victoria-metrics',
    tag: 'v1.150.0',
    user: { uid: 65534, gid: 65534 },
    httpCheckTool: 'wget',
    ownedPaths: [],
  },
  // The VictoriaMetrics cluster (`scale: distributed`): the `-cluster` tags of the same release, alpine-based like
  // the single-node image.
  vminsert: {
    registry: 'docker.io',
    repository: 'victoriametrics/vminsert',
    tag: 'v1.150.0-cluster',
    user: { uid: 65534, gid: 65534 },
    httpCheckTool: 'wget',
    ownedPaths: [],
  },
  vmselect: {
    registry: 'docker.io',
    repository: 'victoriametrics/vmselect',
    tag: 'v1.150.0-cluster',
    user: { uid: 65534, gid: 65534 },
    httpCheckTool: 'wget',
    ownedPaths: [],
  },
  vmstorage: {
    registry: 'docker.io',
    repository: 'victoriametrics/vmstorage',
    tag: 'v1.150.0-cluster',
    user: { uid: 65534, gid: 65534 },
    httpCheckTool: 'wget',
    ownedPaths: [],
  },
  vmalert: {
    registry: 'docker.io',
    repository: 'victoriametrics/vmalert',
    tag: 'v1.150.0',
    user: { uid: 65534, gid: 65534 },
    httpCheckTool: 'wget',
    ownedPaths: [],
  },
  jaeger: {
    registry: 'docker.io',
    repository: 'jaegertracing/jaeger',
    tag: '2.13.0',
    user: { uid: 10001, gid: 10001 },
    // alpine-based (cmd/jaeger/Dockerfile): busybox wget
    httpCheckTool: 'wget',
    ownedPaths: [],
  },
  // Deletes Jaeger's daily OpenSearch indices past `retention.traces` (`scale: distributed`). Its images keep the
  // v1 numbering of the release (Jaeger 2.13.0 is v1.76.0).
  jaegerIndexCleaner: {
    registry: 'docker.io',
    repository: 'jaegertracing/jaeger-es-index-cleaner',
    tag: '1.76.0',
    user: { uid: 10001, gid: 10001 },
    httpCheckTool: 'none',
    ownedPaths: [],
  },
  loki: {
    registry: 'docker.io',
    repository: 'grafana/loki',
    tag: '3.7.8',
    user: { uid: 10001, gid: 10001 },
    // distroless/static (cmd/loki/Dockerfile): no shell or wget, but `loki -health` checks a URL (cmd/loki/health.go)
    httpCheckTool: 'self',
    selfCheck: ['/usr/bin/loki', '-health', '-health.url={url}'],
    ownedPaths: ['/loki'],
  },
  grafana: {
    registry: 'docker.io',
    repository: 'grafana/grafana',
    tag: '12.3.1',
    user: { uid: 472, gid: 0 },
    httpCheckTool: 'wget',
    ownedPaths: ['/var/lib/grafana'],
  },
  alertmanager: {
    registry: 'quay.io',
    repository: 'prometheus/alertmanager',
    tag: 'v0.34.2',
    user: { uid: 65534, gid: 65534 },
    httpCheckTool: 'wget',
    ownedPaths: ['/alertmanager'],
  },
  glitchtip: {
    registry: 'docker.io',
    repository: 'glitchtip/glitchtip',
    tag: '6.1.6',
    user: { uid: 5000, gid: 5000 },
    httpCheckTool: 'python',
    ownedPaths: ['/code/uploads'],
  },
  umami: {
    registry: 'ghcr.io',
    repository: 'umami-software/umami',
    tag: 'v3.0.3',
    user: { uid: 1001, gid: 1001 },
    httpCheckTool: 'wget',
    ownedPaths: [],
  },
  postgres: {
    registry: 'docker.io',
    repository: 'library/postgres',
    tag: '18.1-alpine',
    user: { uid: 70, gid: 70 },
    httpCheckTool: 'wget',
    ownedPaths: ['/var/lib/postgresql', '/var/run/postgresql'],
  },
  valkey: {
    registry: 'docker.io',
    repository: 'valkey/valkey',
    tag: '9.0.0-alpine',
    user: { uid: 999, gid: 1000 },
    httpCheckTool: 'wget',
    ownedPaths: ['/data'],
  },
} as const satisfies Record<string, CatalogImage>;

export type ImageKey = keyof typeof imageCatalog;
export const imageKeys = Object.keys(imageCatalog) as ImageKey[];
