import type { AccessRule } from './component.js';

/** Rules with the same API group and verbs folded into one, resources deduplicated, in first-seen order. */
export function mergeAccessRules(rules: readonly AccessRule[]): AccessRule[] {
  const merged = new Map<string, { apiGroup: string; verbs: AccessRule['verbs']; resources: Set<string> }>();
  for (const rule of rules) {
    const verbs = [...new Set(rule.verbs)].sort();
    const key = `${rule.apiGroup}|${verbs.join(',')}`;
    const entry = merged.get(key) ?? { apiGroup: rule.apiGroup, verbs, resources: new Set<string>() };
    for (const resource of rule.resources) entry.resources.add(resource);
    merged.set(key, entry);
  }
  return [...merged.values()].map(({ apiGroup, verbs, resources }) => ({ apiGroup, verbs, resources: [...resources] }));
}
