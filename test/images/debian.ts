/**
 * Images from installed Debian packages (for upstream components that no Go module builds, e.g. PostgreSQL):
 * the packages' files under chosen paths are staged as a root file tree, together with every shared library
 * their ELF files load (found with ldd, copied from this host), so that a FROM scratch image can run them.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface DebianPackageFiles {
  /** Package name, e.g. `postgresql-15`. */
  readonly name: string;
  /** Regex over the package's installed paths (`dpkg -L`): only matching files are staged. */
  readonly include: string;
  /**
   * Folders of the package that its programs load libraries from by themselves (as `java` loads
   * lib/server/libjvm.so), which ldd is told about so that it finds them. Default: none.
   */
  readonly libraryDirs?: readonly string[];
}

/** The installed version of a Debian package (`15.18-0+deb12u1`), or undefined when it is not installed. */
export function installedDebianVersion(name: string): string | undefined {
  const res = spawnSync('dpkg-query', ['-W', '-f=${Status}\t${Version}', name], { encoding: 'utf8' });
  if (res.status !== 0) return undefined;
  const [status, version] = res.stdout.split('\t');
  return status === 'install ok installed' && version ? version : undefined;
}

function command(cmd: string, args: readonly string[], logFile: string): string {
  fs.appendFileSync(logFile, `\n$ ${cmd} ${args.join(' ')}\n`);
  const res = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.error) throw new Error(`${cmd}: ${res.error.message}`);
  if (res.status !== 0) throw new Error(`'${cmd} ${args.join(' ')}' failed (exit ${res.status}): ${res.stderr.trim().split('\n').slice(-5).join('\n')}`);
  return res.stdout;
}

/** Copies one file or symlink to the same path under `root` (symlinks stay symlinks, modes are kept). */
function stage(root: string, file: string): void {
  const dest = path.join(root, file);
  fs.mkdirSync(path.dirname(dest), { recursive: true, mode: 0o755 });
  const stat = fs.lstatSync(file);
  if (stat.isSymbolicLink()) {
    fs.rmSync(dest, { force: true });
    fs.symlinkSync(fs.readlinkSync(file), dest);
  } else {
    fs.copyFileSync(file, dest);
    fs.chmodSync(dest, stat.mode & 0o7777);
  }
}

function isElf(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const magic = Buffer.alloc(4);
    return fs.readSync(fd, magic, 0, 4, 0) === 4 && magic.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  } finally {
    fs.closeSync(fd);
  }
}

/** Shared libraries an ELF file loads, as ldd resolves them on this host (absolute paths). */
function librariesOf(file: string, logFile: string, libraryDirs: readonly string[]): string[] {
  const env = libraryDirs.length > 0 ? { ...process.env, LD_LIBRARY_PATH: libraryDirs.join(':') } : process.env;
  const res = spawnSync('ldd', [file], { encoding: 'utf8', env });
  // Static executables and some data files answer "not a dynamic executable" with a non-zero status.
  if (res.status !== 0) return [];
  const missing = res.stdout.split('\n').filter((l) => l.includes('=> not found'));
  if (missing.length > 0) {
    fs.appendFileSync(logFile, `ldd ${file}:\n${res.stdout}`);
    throw new Error(`${file} needs libraries this host lacks: ${missing.map((l) => l.trim().split(' ')[0]).join(', ')} (apt-get install the package that ships them)`);
  }
  return res.stdout
    .split('\n')
    .map((line) => /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line)?.[1])
    .filter((p): p is string => p !== undefined);
}

export interface StagedTree {
  readonly files: number;
  readonly libraries: number;
}

/**
 * Stages the chosen files of installed packages under `root`, then every shared library their ELF files need,
 * at the path the dynamic loader finds it (the host's merged-/usr symlinks /lib and /lib64 reproduced).
 */
export function stageDebianPackages(packages: readonly DebianPackageFiles[], root: string, logFile: string): StagedTree {
  let files = 0;
  for (const pkg of packages) {
    if (!installedDebianVersion(pkg.name)) throw new Error(`Debian package ${pkg.name} is not installed (apt-get install -y ${pkg.name}; test/prepare.sh does)`);
    const include = new RegExp(pkg.include);
    for (const file of command('dpkg', ['-L', pkg.name], logFile).split('\n')) {
      if (!include.test(file)) continue;
      const stat = fs.lstatSync(file, { throwIfNoEntry: false });
      if (!stat || stat.isDirectory()) continue;
      stage(root, file);
      files++;
    }
  }
  for (const link of ['/lib', '/lib64']) {
    const stat = fs.lstatSync(link, { throwIfNoEntry: false });
    if (stat?.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(link), path.join(root, link));
  }
  const libraries = new Set<string>();
  const libraryDirs = packages.flatMap((p) => p.libraryDirs ?? []);
  const staged = fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  for (const file of staged) {
    // ldd runs on the host's copy, so that $ORIGIN and libraryDirs resolve to the host's (identical) files.
    if (isElf(file)) for (const lib of librariesOf(path.join('/', path.relative(root, file)), logFile, libraryDirs)) libraries.add(lib);
  }
  for (const lib of libraries) {
    // By its real folder (/usr/lib/x86_64-linux-gnu, not /lib/...: /lib is the symlink staged above) and the name asked for.
    const dest = path.join(root, fs.realpathSync(path.dirname(lib)), path.basename(lib));
    if (fs.existsSync(dest)) continue;
    fs.mkdirSync(path.dirname(dest), { recursive: true, mode: 0o755 });
    fs.copyFileSync(fs.realpathSync(lib), dest);
    fs.chmodSync(dest, 0o755);
  }
  return { files, libraries: libraries.size };
}
