/**
 * Recipes of the distributed engines that `scale: distributed` stacks use and the tests run for real (issue 17):
 * an S3-compatible object store (gofakes3, standing in for DigitalOcean Spaces or any S3 endpoint) and OpenSearch (Jaeger v2's
 * backend at scale, standing in for DigitalOcean Managed OpenSearch). Neither is in the image catalog: the
 * rendered stack points at them through an endpoint and a Secret, as it points at the managed services.
 *
 * Not here: the VictoriaMetrics cluster (vminsert, vmselect, vmstorage). The reachable Go module proxy refuses
 * every `-cluster` release and cluster-branch commit (403), and the versions it serves are single-node sources
 * (docs/DISTRIBUTED-ENGINES.md has the commands and answers).
 */
import { execFileSync } from 'node:child_process';
import type { Recipe } from './binaries.js';
import type { DebianPackageFiles } from './debian.js';
import type { MavenArchive } from './maven.js';

/**
 * gofakes3 v1.2.0: a small S3-compatible server (one Go module, 14 direct requirements), its `cmd/gofakes3` run on
 * the `fs` backend. It stands in for MinIO, whose cold build (645 s) did not fit CI's budget (docs/DISTRIBUTED-ENGINES.md
 * keeps MinIO's figures). It implements the S3 API Loki's client uses (path-style buckets, put/get/list/delete,
 * multipart) but checks no signature: the tests still give it credentials through `.env`, as a real bucket needs.
 */
export const GOFAKES3_VERSION = 'v1.2.0';

/**
 * OpenSearch 2.19.6: Maven Central's integ-test-zip distributions are 2.0.0 to 2.19.6 and 3.6.0. 2.19.6 is the
 * newest 2.x, runs on Java 17 (Debian bookworm's openjdk-17-jre-headless, so the image is made like the Postgres
 * one), and Jaeger v2.13 (Go module v1.76.0) tests against OpenSearch 2.19 (its docker-compose/opensearch/v2).
 * 3.x needs Java 21, which Debian bookworm does not package. The integ-test-zip holds the server and one module,
 * transport-netty4: no security plugin (so plain HTTP, like upstream's image with the plugin disabled), and none
 * of analysis-common, lang-painless, reindex, ingest-common or mapper-extras (Maven Central has no zips of them).
 * Jaeger's index templates and queries use only core field types and aggregations.
 */
export const OPENSEARCH_VERSION = '2.19.6';
const OPENSEARCH_ARCHIVES: Readonly<Record<string, Omit<MavenArchive, 'to' | 'stripComponents'>>> = {
  '2.19.6': {
    coordinates: 'org.opensearch.distribution.integ-test-zip:opensearch:2.19.6',
    packaging: 'zip',
    sha512: '8adbfaa13162b8d42b388ece6b39bfb7f1a349ab9c128d4eced78ba1dd43b5a10850b43b8aac19fa5ab11f4d5c355ddf6f6617514d6112b0936a1903005d1d36',
  },
};
/** Where upstream's image keeps OpenSearch (OPENSEARCH_HOME). */
export const OPENSEARCH_HOME = '/usr/share/opensearch';
export const OPENSEARCH_JAVA_MAJOR = '17';

function debianArchitecture(): string {
  try {
    return execFileSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).trim();
  } catch {
    return 'amd64';
  }
}

/** Debian's JRE as the image gets it: the runtime, its config in /etc (the runtime's conf/ links there). */
export function javaHome(): string {
  return `/usr/lib/jvm/java-${OPENSEARCH_JAVA_MAJOR}-openjdk-${debianArchitecture()}`;
}

function jrePackages(): DebianPackageFiles[] {
  const home = javaHome();
  return [
    {
      name: `openjdk-${OPENSEARCH_JAVA_MAJOR}-jre-headless`,
      include: `^(${home}/(bin|conf|lib)/|/etc/java-${OPENSEARCH_JAVA_MAJOR}-openjdk/)`,
      libraryDirs: [`${home}/lib/server`],
    },
  ];
}

export const engineComponents = ['gofakes3', 'opensearch'] as const;
export type EngineComponent = (typeof engineComponents)[number];

export const engineComponentVersion: Record<EngineComponent, string> = {
  gofakes3: GOFAKES3_VERSION,
  opensearch: OPENSEARCH_VERSION,
};

export function engineRecipe(component: EngineComponent, version: string): Recipe {
  switch (component) {
    case 'gofakes3':
      return {
        component,
        version,
        module: 'github.com/johannesboyne/gofakes3',
        moduleVersion: version,
        method: 'copy',
        binaries: [{ name: 'gofakes3', pkg: './cmd/gofakes3' }],
        // cmd/gofakes3 stamps no version; upstream's Dockerfile builds it plain.
        ldflags: '',
        tags: '',
      };
    case 'opensearch': {
      const archive = OPENSEARCH_ARCHIVES[version];
      if (!archive) {
        throw new Error(
          `opensearch ${version}: no pinned archive; add it to OPENSEARCH_ARCHIVES in test/images/engines.ts ` +
            '(versions: maven-metadata.xml of org.opensearch.distribution.integ-test-zip:opensearch; its SHA-512 is beside the zip)',
        );
      }
      const jre = jrePackages();
      return {
        component,
        version,
        module: archive.coordinates,
        moduleVersion: version,
        method: 'maven',
        binaries: [{ name: 'rootfs', pkg: '/' }],
        ldflags: '',
        tags: '',
        mavenArchives: [{ ...archive, to: OPENSEARCH_HOME, stripComponents: 1 }],
        debianPackages: jre,
        note: `OpenSearch ${version} (integ-test-zip: server and transport-netty4 only) on Debian's ${jre[0]!.name}`,
      };
    }
  }
}
