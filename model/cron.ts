/**
 * Cron schedules of scheduled components: the five fields of a Kubernetes CronJob (minute, hour, day of
 * month, month, day of week), each `*`, a number, a range `a-b`, a step `*\/n` or `a-b/n`, or a comma list
 * of those. Names (`mon`, `jan`) and macros (`@daily`) are left out: numbers say the same everywhere.
 */
export interface CronFields {
  readonly minute: string;
  readonly hour: string;
  readonly day: string;
  readonly month: string;
  readonly weekDay: string;
}

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

const ITEM = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/;

function itemProblem(item: string, field: (typeof FIELDS)[number]): string | undefined {
  const match = ITEM.exec(item);
  if (!match) return `${field.name} "${item}" is not *, a number, a range a-b or a step */n`;
  const [, , from, to, step] = match;
  const outside = [from, to].filter((n): n is string => n !== undefined).find((n) => Number(n) < field.min || Number(n) > field.max);
  if (outside !== undefined) return `${field.name} ${outside} is outside ${field.min}-${field.max}`;
  if (from !== undefined && to !== undefined && Number(to) < Number(from)) return `${field.name} range ${from}-${to} runs backwards`;
  if (step !== undefined && Number(step) === 0) return `${field.name} step 0 never advances`;
  return undefined;
}

/** What is wrong with a cron expression, or undefined when it is a valid five-field schedule. */
export function cronProblem(expression: string): string | undefined {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== FIELDS.length) return `expected 5 fields (minute hour day month weekday), got ${parts.length}`;
  for (const [index, part] of parts.entries()) {
    for (const item of part.split(',')) {
      const problem = itemProblem(item, FIELDS[index]!);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** The fields of a valid cron expression (see cronProblem). */
export function cronFields(expression: string): CronFields {
  const problem = cronProblem(expression);
  if (problem) throw new Error(`cron schedule "${expression}": ${problem}`);
  const [minute, hour, day, month, weekDay] = expression.trim().split(/\s+/) as [string, string, string, string, string];
  return { minute, hour, day, month, weekDay };
}
