import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/dashboard';
import { DATASOURCE_UID } from './datasources.js';

/** References to the provisioned datasources (fixed UIDs), for panels, queries and variables. */
export const DATASOURCE = {
  metrics: { type: 'prometheus', uid: DATASOURCE_UID.metrics },
  logs: { type: 'loki', uid: DATASOURCE_UID.logs },
  traces: { type: 'jaeger', uid: DATASOURCE_UID.traces },
  alerts: { type: 'alertmanager', uid: DATASOURCE_UID.alerts },
} as const satisfies Record<keyof typeof DATASOURCE_UID, DataSourceRef>;

export type DatasourceKind = keyof typeof DATASOURCE;
