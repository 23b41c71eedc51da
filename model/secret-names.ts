import type { SecretRef } from './component.js';

/** The `.env` variable that holds a secret key in the compose bundle: `grafana-admin`/`password` → `GRAFANA_ADMIN_PASSWORD`. */
export function envVarOf(ref: SecretRef): string {
  return `${ref.secret}_${ref.key}`.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}
