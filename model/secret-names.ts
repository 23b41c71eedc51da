import type { SecretRef } from './component.js';

/**
 * The `.env` variable that holds a secret key in the compose bundle: `grafana-admin`/`password` →
 * `GRAFANA_ADMIN_PASSWORD`. A Secret name may start with a digit, a variable may not (compose refuses
 * `${0LOKI_...}` as an invalid interpolation): such a name gets a leading `_` (`0loki`/`bucket` → `_0LOKI_BUCKET`).
 */
export function envVarOf(ref: SecretRef): string {
  const name = `${ref.secret}_${ref.key}`.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}
