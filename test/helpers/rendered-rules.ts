import yaml from 'js-yaml';
import { stackRuleFiles } from '../../alerts/rule-files.js';
import type { StackSpec } from '../../model/spec.js';

/** A rule as the generated rule files hold it. */
export interface RenderedRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Every rule of every rule file the spec renders, parsed back from the YAML vmalert reads. */
export const renderedRules = (spec: StackSpec): RenderedRule[] =>
  stackRuleFiles(spec).flatMap((f) => (yaml.load(f.content) as { groups: { rules: RenderedRule[] }[] }).groups.flatMap((g) => g.rules));
