import type { StackSpec } from '../../model/spec.js';
import type { DatasourceKind } from '../datasource-refs.js';

/** What a shipped dashboard may depend on: the spec and the datasources Grafana has. */
export interface DashboardContext {
  readonly spec: StackSpec;
  readonly datasources: ReadonlySet<DatasourceKind>;
}
