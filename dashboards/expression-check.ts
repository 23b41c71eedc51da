/**
 * Structural checks of PromQL/MetricsQL and LogQL expressions (after variable substitution), for tests
 * and `validate` where the real engines are not at hand: brackets and quotes balanced, label matchers
 * well-formed with valid regexes, range durations valid, functions known, no variable left over, and for
 * LogQL a stream selector Loki accepts. The real engines run every expression in the e2e tests.
 */
const FUNCTIONS = new Set([
  // aggregations
  'sum', 'avg', 'min', 'max', 'count', 'group', 'topk', 'bottomk', 'quantile', 'stddev', 'stdvar', 'count_values',
  // MetricsQL's rankings over the whole range (dashboards/queries.ts topSeries)
  'topk_avg', 'topk_max', 'topk_min', 'topk_median', 'topk_last', 'bottomk_avg', 'bottomk_max', 'bottomk_min', 'bottomk_median', 'bottomk_last',
  // PromQL / MetricsQL functions we use or expect
  'rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'predict_linear', 'changes', 'resets', 'abs', 'ceil', 'floor', 'round', 'clamp', 'clamp_min', 'clamp_max',
  'histogram_quantile', 'avg_over_time', 'min_over_time', 'max_over_time', 'sum_over_time', 'count_over_time', 'last_over_time', 'quantile_over_time',
  'absent', 'absent_over_time', 'vector', 'scalar', 'time', 'timestamp', 'sort', 'sort_desc', 'label_replace', 'label_join',
  // LogQL range aggregations
  'bytes_over_time', 'bytes_rate', 'rate_counter', 'first_over_time', 'stddev_over_time', 'stdvar_over_time',
]);
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool', 'and', 'or', 'unless']);
const DURATION = /^\d+(ms|s|m|h|d|w|y)$/;
const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/;

export type ExpressionKind = 'metrics' | 'logs';

/** Splits a selector body `a="x", b=~"y"` at commas outside strings. */
function splitMatchers(body: string): string[] {
  const parts: string[] = [];
  let current = '';
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (inString && ch === '\\') { current += ch + (body[i + 1] ?? ''); i++; continue; }
    if (ch === '"') inString = !inString;
    if (ch === ',' && !inString) { parts.push(current); current = ''; continue; }
    current += ch;
  }
  if (current.trim()) parts.push(current);
  return parts;
}

const unquote = (value: string) => value.replace(/\\(.)/g, '$1');

function regexProblem(pattern: string): string | undefined {
  try {
    new RegExp(`^(?:${pattern})$`);
    return undefined;
  } catch (error) {
    return `invalid regex "${pattern}": ${(error as Error).message}`;
  }
}

export function expressionProblems(expr: string, kind: ExpressionKind): string[] {
  const problems: string[] = [];
  if (/\$\w|\$\{|\[\[/.test(expr)) problems.push('a template variable is left unsubstituted');
  // Brackets and strings.
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  let inString: string | undefined;
  const selectors: string[] = [];
  const ranges: string[] = [];
  let outside = '';
  let openAt = -1;
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i]!;
    if (inString) {
      if (ch === '\\' && inString === '"') { i++; continue; }
      if (ch === inString) inString = undefined;
      continue;
    }
    if (ch === '"' || ch === '`') { inString = ch; continue; }
    if (ch === '(' || ch === '[' || ch === '{') {
      stack.push(ch);
      if (ch !== '(') openAt = i;
    } else if (ch === ')' || ch === ']' || ch === '}') {
      if (stack.pop() !== pairs[ch]) { problems.push(`unbalanced "${ch}" at ${i}`); break; }
      if (ch === '}') selectors.push(expr.slice(openAt + 1, i));
      if (ch === ']') ranges.push(expr.slice(openAt + 1, i));
    }
    outside += stack.length === 0 || ch === '(' || ch === ')' ? ch : ' ';
  }
  if (inString) problems.push('unterminated string');
  if (stack.length) problems.push(`unclosed "${stack.join('')}"`);
  if (problems.length) return problems;

  for (const range of ranges) {
    const [window, step] = range.split(':');
    if (!DURATION.test(window!.trim()) || (step !== undefined && step.trim() !== '' && !DURATION.test(step.trim()))) problems.push(`invalid range [${range}]`);
  }
  let selectorWithoutEmptyMismatch = false;
  for (const body of selectors) {
    let nonEmpty = false;
    for (const part of splitMatchers(body)) {
      const match = MATCHER.exec(part);
      if (!match) { problems.push(`malformed label matcher "${part.trim()}"`); continue; }
      const [, , op, raw] = match;
      const value = unquote(raw!);
      if (op === '=~' || op === '!~') {
        const problem = regexProblem(value);
        if (problem) { problems.push(problem); continue; }
      }
      const matchesEmpty = op === '=' ? value === '' : op === '=~' ? new RegExp(`^(?:${value})$`).test('') : op === '!=' ? value !== '' : !new RegExp(`^(?:${value})$`).test('');
      if (!matchesEmpty) nonEmpty = true;
    }
    if (nonEmpty) selectorWithoutEmptyMismatch = true;
  }
  for (const call of expr.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*\(/g)) {
    const name = call[1]!;
    const before = expr.slice(0, call.index);
    // `by (` / `without (` / `on (` are grouping clauses, not calls.
    if (!FUNCTIONS.has(name) && !KEYWORDS.has(name) && !/\|\s*$/.test(before)) problems.push(`unknown function "${name}"`);
  }
  if (kind === 'logs') {
    if (selectors.length === 0) problems.push('a LogQL expression needs a stream selector {...}');
    else if (!selectorWithoutEmptyMismatch) problems.push('Loki needs a matcher in the stream selector that does not match the empty string');
    // Pipeline label filters: `| name=~"re"`.
    for (const filter of expr.matchAll(/\|\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~)\s*"((?:[^"\\]|\\.)*)"/g)) {
      const problem = regexProblem(unquote(filter[3]!));
      if (problem) problems.push(problem);
    }
  } else if (/\|[=~]/.test(outside)) {
    problems.push('a line filter in a metrics expression');
  }
  return problems;
}
