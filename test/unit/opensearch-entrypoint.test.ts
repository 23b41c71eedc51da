/**
 * The local opensearch image's entrypoint (test/images/opensearch/docker-entrypoint.sh), run by busybox sh as in
 * the image, with a stand-in `java` that prints its arguments: settings from the environment become `-E`
 * options, OPENSEARCH_JAVA_OPTS follows config/jvm.options, and it refuses root like upstream's.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../model/package-root.js';
import { inCI } from '../helpers/tools.js';

const BUSYBOX = '/bin/busybox';
const SETPRIV = '/usr/bin/setpriv';
const ENTRYPOINT = join(packageRoot(), 'test/images/opensearch/docker-entrypoint.sh');
const missing = [BUSYBOX, SETPRIV].filter((p) => !existsSync(p));
if (missing.length > 0 && !inCI) console.warn(`SKIPPED (not in CI): opensearch entrypoint tests need ${missing.join(', ')} (busybox-static, util-linux)`);

/** A folder with what the image has: busybox applets and a `java` that echoes (the JvmOptionsParser prints options). */
function fakeImage(): { bin: string; javaHome: string; home: string } {
  const root = mkdtempSync(join(tmpdir(), 'opensearch-entrypoint-'));
  chmodSync(root, 0o755); // the entrypoint runs as another user
  const bin = join(root, 'bin');
  const javaHome = join(root, 'jre');
  const home = join(root, 'opensearch');
  mkdirSync(bin);
  mkdirSync(join(javaHome, 'bin'), { recursive: true });
  mkdirSync(join(home, 'config'), { recursive: true });
  for (const applet of ['sh', 'id', 'mktemp', 'tr']) symlinkSync(BUSYBOX, join(bin, applet));
  writeFileSync(
    join(javaHome, 'bin', 'java'),
    '#!/bin/sh\ncase "$*" in *JvmOptionsParser*) echo "-Xms1g -Xmx1g $OPENSEARCH_JAVA_OPTS";; *) for a; do echo "$a"; done;; esac\n',
    { mode: 0o755 },
  );
  return { bin, javaHome, home };
}

/** Runs the entrypoint as `uid` with exactly `env` (plus PATH and the fake image's paths); returns its output. */
function runEntrypoint(env: Record<string, string>, args: readonly string[], uid = 65534): { status: number | null; lines: string[] } {
  const image = fakeImage();
  const environment = [
    `PATH=${image.bin}`,
    `JAVA_HOME=${image.javaHome}`,
    `OPENSEARCH_HOME=${image.home}`,
    ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
  ];
  const res = spawnSync('/usr/bin/env', ['-i', ...environment, SETPRIV, `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', BUSYBOX, 'sh', ENTRYPOINT, ...args], {
    encoding: 'utf8',
  });
  return { status: res.status, lines: `${res.stdout}${res.stderr}`.trim().split('\n') };
}

describe.skipIf(missing.length > 0 && !inCI)('the opensearch image entrypoint', () => {
  it('turns settings named in the environment into -E options, after the command line ones', () => {
    const { status, lines } = runEntrypoint(
      { 'discovery.type': 'single-node', 'cluster.name': 'traces a', 'node.attr.zone_1': 'x', processors: '2', 'empty.setting': '', 'Not.A.Setting': '1', HOME: '/x' },
      ['-Enode.name=n1'],
    );

    expect(status).toBe(0);
    const settings = lines.filter((l) => l.startsWith('-E'));
    expect(settings[0]).toBe('-Enode.name=n1');
    // The environment's order is the kernel's, not ours.
    expect(settings.slice(1).sort()).toEqual(['-Ecluster.name=traces a', '-Ediscovery.type=single-node', '-Enode.attr.zone_1=x', '-Eprocessors=2']);
    expect(lines.at(-settings.length - 1)).toBe('org.opensearch.bootstrap.OpenSearch');
  });

  it('drops the security plugin settings the image has no plugin for, saying so', () => {
    const { status, lines } = runEntrypoint({ 'plugins.security.disabled': 'true' }, []);

    expect(status).toBe(0);
    expect(lines).toContain('OpenSearch Security Plugin does not exist in this image: ignoring plugins.security.disabled');
    expect(lines.filter((l) => l.startsWith('-E'))).toEqual([]);
  });

  it('puts OPENSEARCH_JAVA_OPTS after config/jvm.options, so that its heap wins', () => {
    const { lines } = runEntrypoint({ OPENSEARCH_JAVA_OPTS: '-Xms512m -Xmx512m' }, []);

    expect(lines.filter((l) => l.startsWith('-Xmx'))).toEqual(['-Xmx1g', '-Xmx512m']);
  });

  it('runs another command as it is', () => {
    const { status, lines } = runEntrypoint({}, ['id', '-u']);

    expect(status).toBe(0);
    expect(lines).toEqual(['65534']);
  });

  it('refuses to start OpenSearch as root', () => {
    const { status, lines } = runEntrypoint({}, [], 0);

    expect(status).toBe(1);
    expect(lines).toContain('OpenSearch cannot run as root. Please start your container as another user.');
  });
});
