/**
 * Where the read-back helpers (backends.ts, dashboard-queries.ts) reach each backend's query API. The defaults
 * are the compose bundle's published ports; the cluster tests point them at their port-forwards.
 */
export interface BackendUrls {
  jaeger: string;
  victoriametrics: string;
  loki: string;
}

export const backendUrls: BackendUrls = {
  jaeger: 'http://127.0.0.1:16686',
  victoriametrics: 'http://127.0.0.1:8428',
  loki: 'http://127.0.0.1:3100',
};

export function useBackendUrls(urls: Partial<BackendUrls>): void {
  Object.assign(backendUrls, urls);
}
