import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { renderStack } from '../../cli/render.js';
import { BACKUP_SCRIPT, RESTORE_SCRIPT } from '../../constructs/postgres-backup-scripts.js';
import { cronFields, cronProblem } from '../../model/cron.js';
import { defineStack } from '../../model/define.js';
import { parseDuration } from '../../model/duration.js';
import { objectsOf, presets, renderedPreset, workloads } from '../helpers/render.js';
import { specProblems } from '../helpers/spec-problems.js';

const problemsOf = (input: unknown) => specProblems(input);

describe('cron schedules', () => {
  it.each(['17 3 * * *', '*/15 * * * *', '0 0-6/2 1,15 * 1-5', '0 4 * 1,7 0', '59 23 31 12 7'])('accepts %s', (expression) => {
    expect(cronProblem(expression)).toBeUndefined();
  });

  it.each([
    ['@daily', 'expected 5 fields (minute hour day month weekday), got 1'],
    ['17 3 * *', 'expected 5 fields (minute hour day month weekday), got 4'],
    ['60 3 * * *', 'minute 60 is outside 0-59'],
    ['0 24 * * *', 'hour 24 is outside 0-23'],
    ['0 0 0 * *', 'day of month 0 is outside 1-31'],
    ['0 0 * 13 *', 'month 13 is outside 1-12'],
    ['0 0 * * 8', 'day of week 8 is outside 0-7'],
    ['0 6-1 * * *', 'hour range 6-1 runs backwards'],
    ['*/0 * * * *', 'minute step 0 never advances'],
    ['0 0 * * mon', 'day of week "mon" is not *, a number, a range a-b or a step */n'],
  ])('refuses %s: %s', (expression, problem) => {
    expect(cronProblem(expression)).toBe(problem);
  });

  it('splits a valid expression into the fields of a CronJob schedule', () => {
    expect(cronFields(' 17  3 * * 1-5 ')).toEqual({ minute: '17', hour: '3', day: '*', month: '*', weekDay: '1-5' });
    expect(() => cronFields('17 3 * *')).toThrow(/cron schedule "17 3 \* \*": expected 5 fields/);
  });
});

describe('backup settings in the spec', () => {
  it('keep dumps longer in bigger environments, daily at 03:17 by default', () => {
    const retention = Object.fromEntries(presets.map((env) => [env, defineStack({}, { environment: env }).retention.backups]));
    expect(retention).toEqual({ local: '3d', dev: '7d', staging: '14d', prod: '30d' });
    for (const env of presets) expect(defineStack({}, { environment: env }).backups.schedule).toBe('17 3 * * *');
  });

  it('name the path and the value of a bad schedule or retention', () => {
    expect(problemsOf({ backups: { schedule: '60 3 * * *' } })).toEqual([
      'backups.schedule: expected a cron schedule like "17 3 * * *" (minute 60 is outside 0-59), got "60 3 * * *"',
    ]);
    expect(problemsOf({ backups: { schedule: 5 } })).toEqual(['backups.schedule: expected a cron schedule like "17 3 * * *", got 5']);
    expect(problemsOf({ retention: { backups: 'weekly' } })).toEqual(['retention.backups: expected a duration like "7d", got "weekly"']);
    expect(problemsOf({ retention: { backups: '30m' } })).toEqual(['retention.backups: backup retention must be a whole number of minutes and at least 1h, got "30m"']);
    expect(problemsOf({ retention: { backups: '3601s' } })).toEqual(['retention.backups: backup retention must be a whole number of minutes and at least 1h, got "3601s"']);
  });
});

describe.each(presets)('Postgres backups rendered for the %s preset', (environment) => {
  const rendered = renderedPreset(environment);
  const objects = objectsOf(rendered);
  const compose = yaml.load(rendered.compose.files.get('compose.yaml')!) as { services: Record<string, any>; volumes: Record<string, unknown> };

  it.each(['glitchtip-postgres', 'umami-postgres'])('%s: a CronJob on the spec schedule, keeping its dumps on a claim of its own', (server) => {
    const name = `${server}-backup`;
    const cronJob = objects.find((o) => o.kind === 'CronJob' && o.metadata.name === name) as any;
    expect(cronJob?.spec).toMatchObject({ schedule: '17 3 * * *', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3 });
    const pod = workloads(objects).find((w) => w.object === cronJob)!.pod;
    const container = pod.containers[0]!;
    expect(container.command).toEqual(['/bin/sh']);
    expect(container.args).toEqual(['/etc/postgres-backup/backup.sh']);

    const claim = objects.find((o) => o.kind === 'PersistentVolumeClaim' && o.metadata.name === `${name}-backups`) as any;
    const serverSpec = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === server) as any;
    expect(claim.spec.resources.requests.storage).toBe(serverSpec.spec.volumeClaimTemplates[0].spec.resources.requests.storage);
    expect(pod.volumes).toContainEqual(expect.objectContaining({ name: 'backups', persistentVolumeClaim: expect.objectContaining({ claimName: `${name}-backups` }) }));
    expect(container.volumeMounts).toContainEqual(expect.objectContaining({ name: 'backups', mountPath: '/backups' }));

    // The password comes from the very secret key the server is initialised with.
    const serverEnv = serverSpec.spec.template.spec.containers[0].env as { name: string; valueFrom?: unknown }[];
    const password = container.env!.find((e) => e.name === 'PGPASSWORD')!;
    expect(password.valueFrom).toEqual(serverEnv.find((e) => e.name === 'POSTGRES_PASSWORD')!.valueFrom);
    const env = Object.fromEntries(container.env!.filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({ PGHOST: server, PGPORT: '5432', BACKUP_DIR: '/backups', BACKUP_RETENTION_MINUTES: String(parseDuration(rendered.spec.retention.backups) / 60) });
  });

  it.each(['glitchtip-postgres', 'umami-postgres'])('%s: a one-shot compose service in the backup profile, same password variable', (server) => {
    const service = compose.services[`${server}-backup`];
    expect(service).toMatchObject({ profiles: ['backup'], restart: 'no', entrypoint: ['/bin/sh'], command: ['/etc/postgres-backup/backup.sh'] });
    expect(service.environment.PGPASSWORD).toBe(compose.services[server].environment.POSTGRES_PASSWORD);
    expect(service.volumes).toContainEqual({ type: 'volume', source: `${server}-backup-backups`, target: '/backups' });
    expect(compose.volumes).toHaveProperty(`${server}-backup-backups`);
    expect(service.depends_on).toEqual({ [server]: { condition: 'service_healthy' } });
    expect(rendered.compose.files.get(`config/${server}-backup/etc/postgres-backup/backup.sh`)).toBe(BACKUP_SCRIPT);
    expect(rendered.compose.files.get(`config/${server}-backup/etc/postgres-backup/restore.sh`)).toBe(RESTORE_SCRIPT);
  });
});

describe('Postgres backups follow the spec', () => {
  it('take the schedule and storage class of the spec, and exist only for enabled databases', () => {
    const rendered = renderStack(defineStack({ backups: { schedule: '0 */6 * * *' }, storageClass: 'fast-ssd', components: { glitchtip: { enabled: false } } }));
    const objects = objectsOf(rendered);
    const cronJobs = objects.filter((o) => o.kind === 'CronJob');
    expect(cronJobs.map((o) => o.metadata.name)).toEqual(['umami-postgres-backup']);
    expect((cronJobs[0] as any).spec.schedule).toBe('0 */6 * * *');
    const claim = objects.find((o) => o.kind === 'PersistentVolumeClaim' && o.metadata.name === 'umami-postgres-backup-backups') as any;
    expect(claim.spec.storageClassName).toBe('fast-ssd');
  });
});

/** Runs a script with sh and stand-ins for pg_dump and pg_restore that log their arguments. */
function runScript(script: string, args: string[], options: { dumpFails?: boolean; listFails?: boolean; backups: string }) {
  const bin = mkdtempSync(join(tmpdir(), 'observatory-pgbin-'));
  const log = join(bin, 'calls.log');
  const tool = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\necho "${name} $*" >> "${log}"\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  tool('pg_dump', options.dumpFails ? 'echo "pg_dump: error: connection refused" >&2; exit 1' : 'for a; do case "$a" in --file=*) echo archive > "${a#--file=}";; esac; done');
  tool('pg_restore', options.listFails ? 'echo "pg_restore: error: corrupt" >&2; exit 1' : 'exit 0');
  const scriptFile = join(bin, 'script.sh');
  writeFileSync(scriptFile, script);
  const result = spawnSync('sh', [scriptFile, ...args], {
    encoding: 'utf8',
    env: { PATH: `${bin}:${process.env.PATH}`, PGHOST: 'umami-postgres', PGDATABASE: 'umami', BACKUP_DIR: options.backups, BACKUP_RETENTION_MINUTES: '4320' },
  });
  return { ...result, calls: existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [] };
}

describe('the backup and restore scripts (sh, with stand-ins for pg_dump and pg_restore)', () => {
  const backupsDir = () => mkdtempSync(join(tmpdir(), 'observatory-backups-'));

  it('backup.sh dumps in custom format, checks the archive, and deletes only this database\'s expired dumps', () => {
    const dir = backupsDir();
    const old = new Date('2020-01-01T00:00:00Z');
    for (const name of ['umami-20200101T000000Z.dump', 'glitchtip-20200101T000000Z.dump']) {
      writeFileSync(join(dir, name), 'old');
      utimesSync(join(dir, name), old, old);
    }
    const run = runScript(BACKUP_SCRIPT, [], { backups: dir });
    expect(run.status, run.stderr).toBe(0);
    const dump = readdirSync(dir).find((f) => /^umami-\d{8}T\d{6}Z\.dump$/.test(f))!;
    expect(readdirSync(dir).sort()).toEqual(['glitchtip-20200101T000000Z.dump', dump]);
    expect(run.calls).toEqual([`pg_dump --format=custom --file=${dir}/${dump}.partial`, `pg_restore --list ${dir}/${dump}.partial`]);
    expect(run.stdout).toContain(`backup: deleted ${dir}/umami-20200101T000000Z.dump`);
  });

  it.each([
    ['pg_dump fails', { dumpFails: true }],
    ['the archive does not read back', { listFails: true }],
  ])('backup.sh exits non-zero and leaves no file when %s', (_, failure) => {
    const dir = backupsDir();
    const run = runScript(BACKUP_SCRIPT, [], { backups: dir, ...failure });
    expect(run.status).not.toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('restore.sh restores the newest dump, or the one named, in one transaction', () => {
    const dir = backupsDir();
    for (const name of ['umami-20250101T031700Z.dump', 'umami-20250102T031700Z.dump', 'glitchtip-20250103T031700Z.dump']) writeFileSync(join(dir, name), 'archive');
    const newest = runScript(RESTORE_SCRIPT, [], { backups: dir });
    expect(newest.status, newest.stderr).toBe(0);
    expect(newest.calls).toEqual([`pg_restore --clean --if-exists --single-transaction --exit-on-error --dbname=umami ${dir}/umami-20250102T031700Z.dump`]);
    const named = runScript(RESTORE_SCRIPT, ['umami-20250101T031700Z.dump'], { backups: dir });
    expect(named.calls).toEqual([`pg_restore --clean --if-exists --single-transaction --exit-on-error --dbname=umami ${dir}/umami-20250101T031700Z.dump`]);
  });

  it('restore.sh fails without a dump to restore', () => {
    const run = runScript(RESTORE_SCRIPT, [], { backups: backupsDir() });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/restore: no dump of umami in /);
    expect(run.calls).toEqual([]);
  });
});
