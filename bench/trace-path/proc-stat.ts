import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux's every supported architecture). */
const USER_HZ = 100;

/**
 * Two CPU-time fields of /proc/<pid>/stat added up, in seconds. The command name (field 2) is in parentheses and
 * may hold spaces or parentheses, so fields are counted from the last `)`.
 */
function secondsOf(stat: string, fields: readonly [number, number]): number {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state): field n is rest[n - 3].
  const ticks = fields.map((n) => Number(rest[n - 3]));
  if (!ticks.every((t) => Number.isInteger(t))) throw new Error(`unreadable /proc stat: ${stat.slice(0, 80)}`);
  return (ticks[0]! + ticks[1]!) / USER_HZ;
}

/** The process's own CPU time: utime + stime (fields 14 and 15). */
export const cpuSecondsFromStat = (stat: string): number => secondsOf(stat, [14, 15]);

/** CPU time of the process's children that have exited and been waited for: cutime + cstime (fields 16 and 17). */
export const childrenCpuSecondsFromStat = (stat: string): number => secondsOf(stat, [16, 17]);

export function cpuSeconds(pid: number): number {
  return cpuSecondsFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/** CPU time of this process's exited children (the load generator's runs, once each has ended). */
export function exitedChildrenCpuSeconds(): number {
  return childrenCpuSecondsFromStat(readFileSync('/proc/self/stat', 'utf8'));
}
