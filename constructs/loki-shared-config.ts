import { toHours } from '../model/duration.js';
import type { StackSpec } from '../model/spec.js';

/**
 * The part of Loki's config both layouts share: retention by the compactor (deletes recorded in `deleteRequestStore`,
 * where the chunks live), structured metadata, the volume API, the results cache, no usage reports.
 */
export function lokiRetentionAndQuerying(spec: StackSpec, dataDir: string, deleteRequestStore: 'filesystem' | 's3'): Record<string, unknown> {
  return {
    limits_config: {
      retention_period: toHours(spec.retention.logs),
      allow_structured_metadata: true,
      volume_enabled: true,
    },
    compactor: {
      working_directory: `${dataDir}/compactor`,
      retention_enabled: true,
      delete_request_store: deleteRequestStore,
    },
    query_range: { results_cache: { cache: { embedded_cache: { enabled: true, max_size_mb: 100 } } } },
    analytics: { reporting_enabled: false },
  };
}
