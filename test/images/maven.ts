/**
 * Archives from Maven Central for the image factory (upstream components shipped as a Java distribution, e.g.
 * OpenSearch's zip): fetched with Maven's own client (`mvn dependency:get`) into a local repository inside the
 * factory cache, checked against the SHA-512 pinned in the recipe, and unpacked into a root file tree.
 *
 *   const zip = fetchMavenArchive(archive, logFile);   // cached by coordinates: a warm call downloads nothing
 *   stageMavenArchive(archive, rootfs, logFile);       // rootfs/<archive.to>/… without the archive's top folder
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface MavenArchive {
  /** groupId:artifactId:version, e.g. `org.opensearch.distribution.integ-test-zip:opensearch:2.19.6`. */
  readonly coordinates: string;
  readonly packaging: 'zip' | 'tar.gz';
  /** SHA-512 of the archive (Maven Central publishes it beside the artifact as `<file>.sha512`). */
  readonly sha512: string;
  /** Folder of the image the archive's content goes to, e.g. `/usr/share/opensearch`. */
  readonly to: string;
  /** Leading path components dropped when unpacking (1 for an archive holding one top folder). Default 0. */
  readonly stripComponents?: number;
}

/** Maven's local repository of the factory: `<cache>/maven-repository` (not ~/.m2, so the cache is one folder). */
export function mavenRepository(cacheRoot: string): string {
  return path.join(cacheRoot, 'maven-repository');
}

/** Where `mvn dependency:get` puts an archive in a local repository. */
export function mavenArchivePath(repository: string, archive: MavenArchive): string {
  const [group, artifact, version] = splitCoordinates(archive.coordinates);
  return path.join(repository, ...group.split('.'), artifact, version, `${artifact}-${version}.${archive.packaging}`);
}

function splitCoordinates(coordinates: string): [string, string, string] {
  const parts = coordinates.split(':');
  if (parts.length !== 3 || parts.some((p) => p === '')) throw new Error(`Maven coordinates must be groupId:artifactId:version, got '${coordinates}'`);
  return parts as [string, string, string];
}

function sha512Of(file: string): string {
  const h = createHash('sha512');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    for (let n = fs.readSync(fd, buf); n > 0; n = fs.readSync(fd, buf)) h.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return h.digest('hex');
}

function command(cmd: string, args: readonly string[], logFile: string): void {
  fs.appendFileSync(logFile, `\n$ ${cmd} ${args.join(' ')}\n`);
  const res = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  fs.appendFileSync(logFile, `${res.stdout ?? ''}${res.stderr ?? ''}`);
  if (res.error) throw new Error(`${cmd}: ${res.error.message} (is it installed?)`);
  if (res.status !== 0) {
    const tail = `${res.stdout}${res.stderr}`.trim().split('\n').slice(-8).join('\n');
    throw new Error(`'${cmd} ${args.join(' ')}' failed (exit ${res.status}); log: ${logFile}\n${tail}`);
  }
}

/** The maven-dependency-plugin the factory runs, pinned so that a warm cache needs no network at all. */
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';

/**
 * The archive's path in the factory's Maven repository, downloaded by `mvn dependency:get` unless present with
 * the pinned SHA-512. Throws when the download fails or the checksum differs (the file is then removed).
 */
export function fetchMavenArchive(archive: MavenArchive, cacheRoot: string, logFile: string): { file: string; downloaded: boolean } {
  const repository = mavenRepository(cacheRoot);
  const file = mavenArchivePath(repository, archive);
  if (fs.existsSync(file) && sha512Of(file) === archive.sha512) return { file, downloaded: false };
  fs.mkdirSync(repository, { recursive: true });
  command(
    'mvn',
    [
      '-B', '-q', `-Dmaven.repo.local=${repository}`, `${DEPENDENCY_PLUGIN}:get`,
      `-Dartifact=${archive.coordinates}:${archive.packaging}`, '-Dtransitive=false',
    ],
    logFile,
  );
  if (!fs.existsSync(file)) throw new Error(`mvn dependency:get ${archive.coordinates}:${archive.packaging} left no ${file}`);
  const actual = sha512Of(file);
  if (actual !== archive.sha512) {
    fs.rmSync(file, { force: true });
    throw new Error(`${archive.coordinates}:${archive.packaging}: SHA-512 ${actual} differs from the pinned ${archive.sha512}`);
  }
  return { file, downloaded: true };
}

/** Unpacks an archive into `root` + archive.to (fetching it first when needed). */
export function stageMavenArchive(archive: MavenArchive, root: string, cacheRoot: string, logFile: string): { downloaded: boolean } {
  const { file, downloaded } = fetchMavenArchive(archive, cacheRoot, logFile);
  const dest = path.join(root, archive.to);
  const strip = archive.stripComponents ?? 0;
  const unpacked = `${dest}.unpack`;
  fs.rmSync(unpacked, { recursive: true, force: true });
  fs.mkdirSync(unpacked, { recursive: true });
  if (archive.packaging === 'zip') command('unzip', ['-q', file, '-d', unpacked], logFile);
  else command('tar', ['-xzf', file, '-C', unpacked], logFile);
  let top = unpacked;
  for (let i = 0; i < strip; i++) {
    const entries = fs.readdirSync(top);
    if (entries.length !== 1) throw new Error(`${archive.coordinates}: cannot strip a path component from ${entries.length} entries (${entries.slice(0, 5).join(', ')})`);
    top = path.join(top, entries[0]!);
  }
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.rmSync(dest, { recursive: true, force: true });
  fs.renameSync(top, dest);
  fs.rmSync(unpacked, { recursive: true, force: true });
  // Archives made for one owner (OpenSearch's config is 0660) must be readable by the image's user, who is not root.
  command('chmod', ['-R', 'a+rX', dest], logFile);
  return { downloaded };
}
