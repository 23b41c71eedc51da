import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux's every supported architecture). */
const USER_HZ = 100;

/**
 * utime + stime in seconds from the text of /proc/<pid>/stat. The command name (field 2) is in parentheses and may
 * hold spaces or parentheses, so fields are counted from the last `)`: utime and stime are fields 14 and 15.
 */
export function cpuSecondsFromStat(stat: string): number {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state): field n is rest[n - 3].
  const utime = Number(rest[14 - 3]);
  const stime = Number(rest[15 - 3]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`unreadable /proc stat: ${stat.slice(0, 80)}`);
  return (utime + stime) / USER_HZ;
}

export function cpuSeconds(pid: number): number {
  return cpuSecondsFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}
