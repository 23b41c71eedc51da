/**
 * The images the test cluster itself needs (pause, CoreDNS, the volume provisioner and its helper, a probe for
 * the network tests, the sample app), built FROM scratch with the Docker engine like the image factory's, labelled
 * with a hash of their content and rebuilt only when it changes, then imported into the cluster's containerd.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../../model/package-root.js';
import { binaryPath, ensureBinary } from '../images/binaries.js';
import { CLUSTER_TOOLS_VERSION, COREDNS_VERSION, LOCAL_PATH_PROVISIONER_VERSION, TRAEFIK_VERSION } from './recipes.js';

export const PAUSE_IMAGE = `observatory.local/cluster-pause:${CLUSTER_TOOLS_VERSION}`;
export const COREDNS_IMAGE = `observatory.local/cluster-coredns:${COREDNS_VERSION}`;
export const LOCAL_PATH_IMAGE = `observatory.local/cluster-local-path-provisioner:${LOCAL_PATH_PROVISIONER_VERSION}`;
/** Static busybox (sh, mkdir, rm, ...) with httpget, netprobe and otlpsend: the volume helper, network probe and sender. */
export const PROBE_IMAGE = `observatory.local/cluster-probe:${CLUSTER_TOOLS_VERSION}`;
export const SAMPLE_APP_IMAGE = 'observatory.local/sample-app:test';
export const TRAEFIK_IMAGE = `observatory.local/cluster-traefik:${TRAEFIK_VERSION}`;

interface ImageFile {
  readonly from: string;
  readonly to: string;
  readonly mode?: number;
}

interface ClusterImage {
  readonly tag: string;
  readonly files: () => Promise<ImageFile[]>;
  readonly entrypoint: readonly string[];
  readonly user: number;
  readonly env?: readonly string[];
  readonly workdir?: string;
}

const BUSYBOX = process.env.OBSERVATORY_BUSYBOX ?? '/bin/busybox';

function busyboxFiles(): ImageFile[] {
  const applets = execFileSync(BUSYBOX, ['--list'], { encoding: 'utf8' }).split('\n').filter((a) => a && a !== 'busybox');
  return [{ from: BUSYBOX, to: '/bin/busybox' }, ...applets.map((a) => ({ from: 'symlink:busybox', to: `/bin/${a}` }))];
}

/** The shared libraries a dynamically linked binary loads, as ldd resolves them on this host. */
function sharedLibraries(binary: string): ImageFile[] {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  return [...out.matchAll(/(\/\S+\.so[^\s]*)/g)].map((m) => ({ from: fs.realpathSync(m[1]!), to: m[1]!, mode: 0o755 }));
}

/** Packages the sample app imports at run time, with everything they depend on (npm's flat node_modules). */
function sampleAppPackages(root: string): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string>; dependencies: Record<string, string> };
  const wanted = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((name) => /^(@opentelemetry\/|@sentry\/node$|pino$|zod$|isbot$)/.test(name));
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    const manifest = path.join(root, 'node_modules', name, 'package.json');
    if (!fs.existsSync(manifest)) return; // an optional dependency not installed on this platform
    seen.add(name);
    const deps = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
    for (const dep of Object.keys({ ...deps.dependencies, ...deps.optionalDependencies })) visit(dep);
  };
  wanted.forEach(visit);
  return [...seen].sort();
}

function treeFiles(from: string, to: string): ImageFile[] {
  return (fs.readdirSync(from, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile() && !e.name.endsWith('.map') && !e.name.endsWith('.d.ts'))
    .map((e) => {
      const rel = path.relative(from, path.join(e.parentPath, e.name));
      return { from: path.join(from, rel), to: path.join(to, rel), mode: 0o644 };
    });
}

export const clusterImages: readonly ClusterImage[] = [
  { tag: PAUSE_IMAGE, files: async () => [{ from: await ensureBinary('pause'), to: '/pause' }], entrypoint: ['/pause'], user: 65535 },
  { tag: COREDNS_IMAGE, files: async () => [{ from: await ensureBinary('coredns'), to: '/coredns' }], entrypoint: ['/coredns'], user: 65532 },
  { tag: TRAEFIK_IMAGE, files: async () => [{ from: await ensureBinary('traefik'), to: '/usr/local/bin/traefik' }], entrypoint: ['/usr/local/bin/traefik'], user: 65532 },
  {
    tag: LOCAL_PATH_IMAGE,
    files: async () => [{ from: await ensureBinary('local-path-provisioner'), to: '/usr/bin/local-path-provisioner' }, ...busyboxFiles()],
    entrypoint: ['/usr/bin/local-path-provisioner'],
    user: 0,
  },
  {
    tag: PROBE_IMAGE,
    files: async () => [
      ...busyboxFiles(),
      { from: await ensureBinary('httpget'), to: '/bin/httpget' },
      { from: binaryPath('netprobe'), to: '/bin/netprobe' },
      { from: binaryPath('otlpsend'), to: '/bin/otlpsend' },
    ],
    entrypoint: ['/bin/netprobe'],
    user: 65532,
  },
  {
    tag: SAMPLE_APP_IMAGE,
    files: async () => {
      const root = packageRoot();
      const node = fs.realpathSync(process.execPath);
      return [
        { from: node, to: '/usr/local/bin/node' },
        ...sharedLibraries(node),
        { from: path.join(root, 'package.json'), to: '/app/package.json', mode: 0o644 },
        ...treeFiles(path.join(root, 'dist', 'test', 'sample-app'), '/app/dist/test/sample-app'),
        ...sampleAppPackages(root).flatMap((name) => treeFiles(path.join(root, 'node_modules', name), `/app/node_modules/${name}`)),
      ];
    },
    entrypoint: ['/usr/local/bin/node', '/app/dist/test/sample-app/main.js'],
    user: 10001,
    env: ['NODE_ENV=production'],
    workdir: '/app',
  },
];

function contentHash(image: ClusterImage, files: readonly ImageFile[]): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ ...image, files: undefined }));
  for (const f of files) {
    h.update(`${f.to}\0${f.mode ?? 0o755}\0`);
    // Content, not mtime: tsc rewrites dist/ on every build.
    h.update(f.from.startsWith('symlink:') ? f.from : fs.readFileSync(f.from));
  }
  return h.digest('hex').slice(0, 16);
}

function docker(args: readonly string[], input?: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, { env: { ...process.env, DOCKER_BUILDKIT: '0' }, stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    if (input) input.pipe(child.stdin!);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`docker ${args.join(' ')} failed (exit ${code}):\n${out.slice(-2000)}`))));
  });
}

async function imageLabel(tag: string): Promise<string | undefined> {
  try {
    return (await docker(['image', 'inspect', '--format', '{{index .Config.Labels "observatory.recipe"}}', tag])).trim();
  } catch {
    return undefined;
  }
}

/** Builds (when missing or changed) every cluster image; returns their tags. */
export async function ensureClusterImages(log: (line: string) => void): Promise<string[]> {
  for (const image of clusterImages) {
    const files = await image.files();
    const hash = contentHash(image, files);
    if ((await imageLabel(image.tag)) === hash) continue;
    const started = Date.now();
    const ctx = fs.mkdtempSync(path.join(os.tmpdir(), 'observatory-cluster-image-'));
    try {
      const rootfs = path.join(ctx, 'rootfs');
      fs.mkdirSync(path.join(rootfs, 'tmp'), { recursive: true, mode: 0o1777 });
      fs.chmodSync(path.join(rootfs, 'tmp'), 0o1777);
      fs.mkdirSync(path.join(rootfs, 'etc'), { recursive: true });
      fs.writeFileSync(path.join(rootfs, 'etc', 'passwd'), `root:x:0:0:root:/:/bin/sh\nuser:x:${image.user}:${image.user}:user:/tmp:/bin/sh\n`);
      fs.writeFileSync(path.join(rootfs, 'etc', 'group'), `root:x:0:\nuser:x:${image.user}:\n`);
      for (const f of files) {
        const dest = path.join(rootfs, f.to);
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        if (f.from.startsWith('symlink:')) fs.symlinkSync(f.from.slice('symlink:'.length), dest);
        else {
          fs.copyFileSync(f.from, dest);
          fs.chmodSync(dest, f.mode ?? 0o755);
        }
      }
      const dockerfile = [
        'FROM scratch',
        'COPY rootfs/ /',
        ...(image.env ?? []).map((e) => `ENV ${e}`),
        'ENV PATH=/usr/local/bin:/usr/bin:/bin',
        `WORKDIR ${image.workdir ?? '/'}`,
        `USER ${image.user}:${image.user}`,
        `ENTRYPOINT ${JSON.stringify(image.entrypoint)}`,
        `LABEL observatory.recipe=${hash}`,
      ].join('\n');
      fs.writeFileSync(path.join(ctx, 'Dockerfile'), `${dockerfile}\n`);
      await docker(['build', '--no-cache', '-q', '-t', image.tag, ctx]);
      log(`image ${image.tag} built in ${((Date.now() - started) / 1000).toFixed(1)} s (${files.length} files)`);
    } finally {
      fs.rmSync(ctx, { recursive: true, force: true });
    }
  }
  return clusterImages.map((i) => i.tag);
}

/**
 * `docker save` of each tag piped into the cluster containerd's k8s.io namespace. `record` (a JSON file of tag →
 * image ID) remembers what that containerd holds, so an unchanged image is not imported twice.
 */
export async function importImages(socket: string, tags: readonly string[], record: string, log: (line: string) => void): Promise<void> {
  const imported = (fs.existsSync(record) ? JSON.parse(fs.readFileSync(record, 'utf8')) : {}) as Record<string, string>;
  for (const tag of tags) {
    const id = (await docker(['image', 'inspect', '--format', '{{.Id}}', tag])).trim();
    if (imported[tag] === id) continue;
    const started = Date.now();
    await new Promise<void>((resolve, reject) => {
      const save = spawn('docker', ['save', tag], { stdio: ['ignore', 'pipe', 'pipe'] });
      const load = spawn('ctr', ['--address', socket, '-n', 'k8s.io', 'images', 'import', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let err = '';
      save.stderr.on('data', (d: Buffer) => (err += d.toString()));
      load.stderr.on('data', (d: Buffer) => (err += d.toString()));
      save.stdout.pipe(load.stdin);
      load.on('error', reject);
      load.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`importing ${tag} into the cluster's containerd failed: ${err.slice(-1000)}`))));
    });
    imported[tag] = id;
    fs.writeFileSync(record, JSON.stringify(imported, null, 2));
    log(`imported ${tag} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
}
