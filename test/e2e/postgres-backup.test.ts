/**
 * Postgres backup and restore as the compose bundle renders them: Umami's database server and its backup job,
 * run by Docker Compose from the local postgres image. Rows go in, the backup job dumps them, the rows are
 * dropped, and the restore procedure of docs/BACKUP.md brings them back.
 *
 * Only the database and its job run (no Umami: no registry serves its image here), under a project name of
 * their own and without host ports, so this test runs beside the main end-to-end stack.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../model/package-root.js';
import { ComposeProject } from '../harness/compose-cli.js';
import { imageTag } from '../images/build.js';
import { synth } from './support/local-stack.js';
import { dockerWithCompose } from './support/requirements.js';

const requirements = dockerWithCompose(['postgres']);
const SERVER = 'umami-postgres';
const JOB = 'umami-postgres-backup';
const DUMP = /^\/backups\/umami-\d{8}T\d{6}Z\.dump$/;
const stackInput = {
  environment: 'local',
  components: { glitchtip: { enabled: false }, umami: { enabled: true } },
  // The factory's image is PostgreSQL 15 from Debian, tagged with its own version (test/images/binaries.ts).
  images: { overrides: { postgres: imageTag('postgres') } },
} as const;

/** The shell block of docs/BACKUP.md that restores Umami's database in compose, as its lines. */
function documentedComposeRestore(): string[] {
  const doc = readFileSync(join(packageRoot(), 'docs', 'BACKUP.md'), 'utf8');
  const blocks = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.trim().split('\n'));
  const restore = blocks.filter((lines) => lines.some((l) => l.startsWith(`docker compose run --rm ${JOB} /etc/postgres-backup/restore.sh`)));
  expect(restore, 'one compose restore block for Umami in docs/BACKUP.md').toHaveLength(1);
  return restore[0]!;
}

/** `docker compose …` of a documented line, as arguments. */
function composeArgs(line: string): string[] {
  expect(line).toMatch(/^docker compose /);
  return line.replace(/^docker compose /, '').split(/\s+/);
}

describe.skipIf(requirements.skip)('Postgres backup and restore, end to end (compose)', () => {
  let compose: ComposeProject | undefined;
  const project = () => compose!;
  const sql = (statement: string) =>
    project().run('exec', '-T', SERVER, 'psql', '-v', 'ON_ERROR_STOP=1', '--no-psqlrc', '-At', '-U', 'umami', '-d', 'umami', '-c', statement).trim();
  const dumps = () =>
    project()
      .run('run', '--rm', '--no-deps', JOB, '-c', 'find /backups -mindepth 1 | sort')
      .trim()
      .split('\n')
      .filter(Boolean);

  beforeAll(() => {
    requirements.check();
    compose = new ComposeProject(synth(stackInput), `observatory-e2e-pg-backup-${process.pid}`);
    compose.run('up', '-d', '--wait', '--wait-timeout', '180', SERVER);
  }, 300_000);

  afterAll(() => {
    compose?.down();
  }, 120_000);

  it('the backup job dumps the database and deletes dumps past the retention', () => {
    sql(
      'CREATE TABLE sites (id int PRIMARY KEY, name text NOT NULL);' +
        "INSERT INTO sites VALUES (1, 'docs'), (2, 'shop'), (3, 'blog');" +
        'CREATE TABLE visits (site int NOT NULL REFERENCES sites, n int NOT NULL);' +
        'INSERT INTO visits SELECT 1 + n % 3, n FROM generate_series(1, 100) AS n;',
    );
    // A dump older than the local preset's retention (3d), and a file that is no dump of this database.
    project().run('run', '--rm', '--no-deps', JOB, '-c', 'touch -t 202001010000 /backups/umami-20200101T000000Z.dump /backups/keep-me.txt');

    const log = project().run('run', '--rm', JOB);

    expect(log).toMatch(/backup: wrote \/backups\/umami-\d{8}T\d{6}Z\.dump \(\d+ bytes\)/);
    expect(log).toContain('backup: deleted /backups/umami-20200101T000000Z.dump');
    const files = dumps();
    expect(files.filter((f) => DUMP.test(f))).toHaveLength(1);
    expect(files).toContain('/backups/keep-me.txt');
    expect(files).not.toContain('/backups/umami-20200101T000000Z.dump');
    expect(files.filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('the documented restore brings dropped and emptied tables back', () => {
    sql('DROP TABLE visits; DELETE FROM sites; CREATE TABLE after_dump (x int);');
    expect(sql("SELECT count(*) FROM pg_tables WHERE tablename = 'visits'")).toBe('0');

    const [stopApp, restore, startApp, ...rest] = documentedComposeRestore();
    expect([stopApp, restore, startApp, ...rest]).toEqual([
      'docker compose stop umami',
      `docker compose run --rm ${JOB} /etc/postgres-backup/restore.sh`,
      'docker compose start umami',
    ]);
    project().run(...composeArgs(stopApp!));
    const log = project().run(...composeArgs(restore!));
    // `start umami` is left out: no registry serves Umami's image here, so its container was never created.

    expect(log).toMatch(/restore: \/backups\/umami-\d{8}T\d{6}Z\.dump into umami on umami-postgres/);
    expect(log).toContain('restore: done');
    expect(sql('SELECT string_agg(name, \',\' ORDER BY id) FROM sites')).toBe('docs,shop,blog');
    expect(sql('SELECT count(*), sum(n) FROM visits')).toBe('100|5050');
    // The restore replaces what the dump holds and leaves the rest, as docs/BACKUP.md says.
    expect(sql("SELECT count(*) FROM pg_tables WHERE tablename = 'after_dump'")).toBe('1');
  });

  it('a backup that cannot reach its database fails and leaves no file behind', () => {
    const before = dumps();
    project().run('stop', SERVER);

    const result = project().attempt('run', '--rm', '--no-deps', JOB);

    expect(result.status).not.toBe(0);
    expect(`${result.stdout}${result.stderr}`).toMatch(/pg_dump: error: /);
    expect(dumps()).toEqual(before);
  });
});
