import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Grafana's HTTP API on the published port, as the admin (credentials from the bundle's .env). */
export class GrafanaApi {
  constructor(
    private readonly password: string,
    readonly url = 'http://127.0.0.1:3000',
  ) {}

  get<T>(path: string): Promise<{ status: number; body: T }> {
    return this.send<T>('GET', path);
  }

  /** A request with a JSON body (POST, PUT, DELETE). */
  async send<T>(method: string, path: string, json?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(`admin:${this.password}`).toString('base64')}`,
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON: keep the text */
    }
    return { status: response.status, body: body as T };
  }
}

/** The UIDs of the dashboards the bundle provisions (its dashboards folder), sorted. */
export function provisionedDashboardUids(composeDir: string): string[] {
  const dir = join(composeDir, 'config', 'grafana', 'etc', 'grafana', 'dashboards');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { uid: string }).uid)
    .sort();
}

/** A read-only API path of each backend, asked through Grafana's datasource proxy. */
const proxyProbe: Readonly<Record<string, string>> = {
  prometheus: '/api/v1/query?query=vector(1)',
  loki: '/loki/api/v1/labels',
  jaeger: '/api/services',
  alertmanager: '/api/v2/status',
};

/**
 * Why a provisioned datasource does not work (undefined when it does). Grafana's own health check comes first;
 * where this Grafana's plugin has no backend health check (the stand-in build answers "Plugin unavailable" or
 * 404 for frontend-only checks), the backend is asked through Grafana's datasource proxy with the provisioned
 * URL and settings instead, which proves the same thing: Grafana reaches the backend and it answers.
 */
export async function datasourceProblem(grafana: GrafanaApi, datasource: { uid: string; type: string }): Promise<string | undefined> {
  const health = await grafana.get<{ status?: string; message?: string }>(`/api/datasources/uid/${datasource.uid}/health`);
  if (health.status === 200 && health.body.status === 'OK') return undefined;
  const noBackendCheck = health.status === 404 || (health.status === 503 && health.body.message === 'Plugin unavailable');
  if (!noBackendCheck) return `health check: HTTP ${health.status} ${JSON.stringify(health.body)}`;
  const probe = proxyProbe[datasource.type];
  if (!probe) return `no backend health check in this Grafana, and no proxy probe known for type ${datasource.type}`;
  const proxied = await grafana.get<unknown>(`/api/datasources/proxy/uid/${datasource.uid}${probe}`);
  return proxied.status === 200 ? undefined : `through the datasource proxy ${probe}: HTTP ${proxied.status} ${JSON.stringify(proxied.body).slice(0, 200)}`;
}
