import type { StackSpec } from '../model/spec.js';

/**
 * The URL people use to reach a UI: `https://<host>.<domain>` behind the ingress, otherwise the
 * port published on the local machine by the compose bundle.
 */
export function publicUrl(spec: StackSpec, host: string, localPort: number): string {
  if (spec.ingress.enabled && spec.ingress.domain) {
    return `${spec.ingress.tls ? 'https' : 'http'}://${host}.${spec.ingress.domain}`;
  }
  return `http://localhost:${localPort}`;
}
