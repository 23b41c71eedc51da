/**
 * Build recipes of the test cluster's binaries (test/cluster/): a single-node Kubernetes and what a node needs,
 * built from the Go module proxy by the image factory's builder (test/images/binaries.ts), cached by version
 * under <cache>/bin/<component>-<version>/ like every other binary of the factory.
 *
 * Versions are what the reachable Go module proxy serves; each choice says why.
 */
import type { Recipe } from '../images/binaries.js';

/**
 * Kubernetes v1.34: the last minor whose kubelet still runs on cgroup v1 (with `failCgroupV1: false`), which the
 * machines of this project have. v1.34.4 is the newest v1.34 patch the proxy serves.
 */
export const KUBERNETES_VERSION = 'v1.34.4';
/** etcd v3.6 is the line Kubernetes v1.34 is tested with; v3.6.16 is the newest v3.6 served. */
export const ETCD_VERSION = 'v3.6.16';
/** CoreDNS v1.14.7: the proxy serves v1.14.3 to v1.15.0; v1.14.x is the line Kubernetes v1.34 ships. */
export const COREDNS_VERSION = 'v1.14.7';
/**
 * kube-router v2.1.0 enforces NetworkPolicies with iptables and ipset (firewall only, no routing or proxy).
 * The only version the proxy serves; security advisories exist for it, acceptable for a disposable test node
 * that talks to nothing outside this machine. sigs.k8s.io/kube-network-policies needs NFT_QUEUE, which this
 * kernel lacks; Calico and Cilium cannot be built from the proxy.
 */
export const KUBE_ROUTER_VERSION = 'v2.1.0';
/** Rancher's local-path-provisioner: the StorageClass's dynamic provisioner; v0.0.30 is the only version served. */
export const LOCAL_PATH_PROVISIONER_VERSION = 'v0.0.30';
/** The test's own small static programs (pause, httpget, netprobe, otlpsend): one main module of ours. */
export const CLUSTER_TOOLS_VERSION = '1.0.0';
/**
 * Traefik v3.7.13, the ingress controller the Pulumi program installs (Helm chart 41.5.0 ships it, see
 * stacks/ingress-controller.ts); the Go module proxy serves github.com/traefik/traefik/v3 at that version.
 */
export const TRAEFIK_VERSION = 'v3.7.13';

/**
 * What the test cluster runs: test/prepare-cluster.sh builds every one, and the cluster tests need every one. Traefik
 * (341 s to build on 2 cores shared with other builds, a 137 MiB binary, measured 2026-11-30) routes the stack's
 * Ingresses there, as it does on DOKS.
 */
export const clusterComponents = ['kubernetes', 'etcd', 'coredns', 'kube-router', 'local-path-provisioner', 'cluster-tools', 'traefik'] as const;
export type ClusterComponent = (typeof clusterComponents)[number];

export const clusterComponentVersion: Record<ClusterComponent, string> = {
  kubernetes: KUBERNETES_VERSION,
  etcd: ETCD_VERSION,
  coredns: COREDNS_VERSION,
  'kube-router': KUBE_ROUTER_VERSION,
  'local-path-provisioner': LOCAL_PATH_PROVISIONER_VERSION,
  'cluster-tools': CLUSTER_TOOLS_VERSION,
  traefik: TRAEFIK_VERSION,
};

/** Binaries of the Kubernetes recipe, each `./cmd/<name>` of k8s.io/kubernetes. */
export const KUBERNETES_BINARIES = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-proxy', 'kubectl'] as const;

/** Upstream's release codename of Traefik v3 (its Makefile's `CODENAME ?= cheddar`, stamped into `traefik version`). */
const TRAEFIK_CODENAME = 'cheddar';
/** The v3.7.13 tag's commit time (the module proxy's .info), in the Makefile's `%Y-%m-%d_%I:%M:%S%p` form: reproducible. */
const TRAEFIK_BUILD_DATE = '2026-09-04_12:33:51PM';

function kubernetesLdflags(version: string): string {
  const minor = version.split('.')[1]!;
  // Without these every binary reports v0.0.0 and the kubelet's version skew checks refuse it.
  return [
    ['k8s.io/component-base/version', version],
    ['k8s.io/client-go/pkg/version', version],
  ]
    .flatMap(([pkg, v]) => [
      `-X ${pkg}.gitVersion=${v}`,
      `-X ${pkg}.gitMajor=1`,
      `-X ${pkg}.gitMinor=${minor}`,
      `-X ${pkg}.gitTreeState=clean`,
      `-X ${pkg}.buildDate=1970-01-01T00:00:00Z`,
    ])
    .join(' ');
}

export function clusterRecipe(component: ClusterComponent, version: string): Recipe {
  switch (component) {
    case 'kubernetes':
      return {
        component,
        version,
        module: 'k8s.io/kubernetes',
        moduleVersion: version,
        method: 'copy',
        binaries: KUBERNETES_BINARIES.map((name) => ({ name, pkg: `./cmd/${name}` })),
        ldflags: kubernetesLdflags(version),
        tags: '',
        // The staging modules (k8s.io/api, client-go, ...) are required as v0.0.0 and replaced by ./staging/src
        // folders that the module zip leaves out; their published releases are v0.<minor>.<patch>.
        localReplaceVersion: { version: version.replace(/^v1\./, 'v0.'), why: 'k8s.io/* staging modules are published as v0.<minor>.<patch>' },
      };
    case 'etcd':
      return {
        component,
        version,
        module: 'test/cluster/src/etcd',
        moduleVersion: version,
        method: 'local',
        binaries: [{ name: 'etcd', pkg: '.' }],
        ldflags: '',
        tags: '',
        note: 'a main of ours calling go.etcd.io/etcd/server/v3 etcdmain.Main (the etcd module has replaces go install refuses)',
      };
    case 'coredns':
      return {
        component,
        version,
        module: 'test/cluster/src/coredns',
        moduleVersion: version,
        method: 'local',
        binaries: [{ name: 'coredns', pkg: '.' }],
        ldflags: '',
        tags: '',
        note: 'a main of ours with the plugins the cluster DNS uses (coremain.Run)',
      };
    case 'kube-router':
      return {
        component,
        version,
        module: 'github.com/cloudnativelabs/kube-router/v2',
        moduleVersion: version,
        method: 'copy',
        binaries: [{ name: 'kube-router', pkg: './cmd/kube-router' }],
        ldflags: `-X github.com/cloudnativelabs/kube-router/v2/pkg/version.Version=${version}`,
        tags: '',
      };
    case 'local-path-provisioner':
      return {
        component,
        version,
        module: 'github.com/rancher/local-path-provisioner',
        moduleVersion: version,
        method: 'copy',
        binaries: [{ name: 'local-path-provisioner', pkg: '.' }],
        ldflags: `-X main.VERSION=${version}`,
        tags: '',
      };
    case 'traefik':
      return {
        component,
        version,
        module: 'github.com/traefik/traefik/v3',
        moduleVersion: version,
        method: 'copy',
        binaries: [{ name: 'traefik', pkg: './cmd/traefik' }],
        // As upstream's Makefile and .goreleaser.yml stamp release builds (pkg/version).
        ldflags: [
          `-X github.com/traefik/traefik/v3/pkg/version.Version=${version}`,
          `-X github.com/traefik/traefik/v3/pkg/version.Codename=${TRAEFIK_CODENAME}`,
          `-X github.com/traefik/traefik/v3/pkg/version.BuildDate=${TRAEFIK_BUILD_DATE}`,
        ].join(' '),
        tags: '',
        extraFiles: TRAEFIK_EXTRA_FILES,
        replaces: [
          {
            module: 'github.com/abbot/go-http-auth',
            with: 'github.com/containous/go-http-auth',
            version: 'v0.4.1-0.20200324110947-a37a7636d23e',
            why:
              "Traefik's fork at v0.4.1-0.20260804094822-b975dcaa8c48 answers 403 on the reachable proxy; this is the fork " +
              'commit Traefik required before (2020-03-24), the newest of it served',
          },
        ],
        edits: TRAEFIK_EDITS,
        note:
          "built without lego's DNS-01 providers (their cloud SDKs are not on the reachable Go module proxy): the Traefik " +
          'ACME DNS challenge refuses to start; basic and digest auth use an older commit of the go-http-auth fork',
      };
    case 'cluster-tools':
      return {
        component,
        version,
        module: 'test/cluster/src/tools',
        moduleVersion: version,
        method: 'local',
        binaries: [
          { name: 'httpget', pkg: './cmd/httpget' },
          { name: 'netprobe', pkg: './cmd/netprobe' },
          { name: 'otlpsend', pkg: './cmd/otlpsend' },
          { name: 'pause', pkg: './cmd/pause' },
        ],
        ldflags: '',
        tags: '',
      };
  }
}

/** What the Traefik module zip leaves out and the build (or the binary, at run time) needs. */
const TRAEFIK_EXTRA_FILES: NonNullable<Recipe['extraFiles']> = [
  {
    path: 'pkg/config/dynamic/ext/go.mod',
    content: 'module github.com/traefik/traefik/dynamic/ext\n\ngo 1.24\n',
    why: 'go.mod replaces github.com/traefik/traefik/dynamic/ext with ./pkg/config/dynamic/ext, a nested module the zip leaves out and the proxy does not serve',
  },
  {
    path: 'pkg/config/dynamic/ext/ext.go',
    content:
      '// Package ext: a stand-in written by Observatory\'s image factory for the nested module the module zip leaves out.\n' +
      '// pkg/config/dynamic embeds these two (empty, in open-source Traefik) extension points of its HTTP and Router types.\n' +
      'package ext\n\n// HTTP extends dynamic.HTTP.\ntype HTTP struct{}\n\n// Router extends dynamic.Router.\ntype Router struct{}\n',
    why: 'the nested module github.com/traefik/traefik/dynamic/ext (two empty extension types) is not in the module zip',
  },
  {
    path: 'webui/static/index.html',
    content:
      '<!doctype html><title>Traefik</title><p>This Traefik was built by Observatory\'s test image factory without its ' +
      'dashboard (the web UI is built with npm, which this build does not run). The API is complete: /api/.</p>\n',
    why: 'webui embeds webui/static, the built dashboard, which the module zip has only a README of; with api.dashboard on, Traefik parses its index.html',
  },
];

/**
 * Traefik's own ACME client resolves DNS-01 providers through lego's registry of all of them, and 13 of their
 * cloud SDKs (Akamai, Azion, DNSimple, Alibaba, Tencent, Huawei, Oracle, Regfish, Sakura, UCloud, Yandex) answer
 * 403 on the reachable Go module proxy at every version. The registry is left out: asking Traefik for a DNS-01
 * provider fails with this reason. cert-manager, not Traefik, gets the stack's certificates (HTTP-01).
 */
const TRAEFIK_EDITS: NonNullable<Recipe['edits']> = [
  {
    path: 'pkg/provider/acme/provider.go',
    from: '\t"github.com/go-acme/lego/v5/providers/dns"\n',
    to: '',
    why: "lego's registry of DNS-01 providers imports SDKs the reachable proxy does not serve",
  },
  {
    path: 'pkg/provider/acme/provider.go',
    from: 'provider, err = dns.NewDNSChallengeProviderByName(p.DNSChallenge.Provider)',
    to:
      'provider, err = nil, fmt.Errorf("DNS-01 provider %q: this Traefik was built by Observatory\'s test image factory ' +
      'without lego\'s DNS providers (their SDKs are not on the reachable Go module proxy)", p.DNSChallenge.Provider)',
    why: 'the one use of that registry: a DNS-01 challenge is refused with the reason',
  },
];
