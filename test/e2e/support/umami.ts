/**
 * Umami's API, as the e2e test uses it. Checked against Umami's sources (umami-software/umami, v3) and docs:
 * - POST /api/auth/login {username, password} → { token, user } (src/app/api/auth/login/route.ts;
 *   umami.is/docs/authentication: send `Authorization: Bearer <token>` with every data request). A fresh
 *   database has the user admin / umami (Umami's README: "It will also create a login user with username
 *   admin and password umami").
 * - POST /api/websites {name, domain} → the website, with its `id` (src/app/api/websites/route.ts; both fields
 *   required, `z.string().max(100)` and `.max(500)`).
 * - GET /api/websites/{id}/events?startAt=&endAt= (milliseconds, src/lib/schema.ts `dateRangeParams`) →
 *   { data: [{ id, eventType, eventName, urlPath, hostname, pageTitle, … }], count, page, pageSize }
 *   (route src/app/api/websites/[websiteId]/events/route.ts, query src/queries/sql/events/getWebsiteEvents.ts;
 *   umami.is/docs/cloud/api-changelog 2024-09-09: "GET /websites/[id]/events: … website event details within a
 *   given time range"). `eventType` 2 is a custom event (the query's `event_type = 2` for event names).
 * - GET /api/websites/{id}/event-data/values?startAt=&endAt=&event=&propertyName= → [{ value, total }]
 *   (src/app/api/websites/[websiteId]/event-data/values/route.ts, src/queries/sql/events/getEventDataValues.ts;
 *   api-changelog 2025-10-07: "The eventName query parameter has been changed to event").
 */

export interface UmamiEvent {
  id: string;
  eventType: number;
  eventName: string | null;
  urlPath: string;
  hostname: string | null;
  pageTitle: string | null;
}

/** Umami's first user on a fresh database. */
export const umamiDefaultLogin = { username: 'admin', password: 'umami' } as const;

export class UmamiApi {
  private constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  static async login(baseUrl: string, credentials: { username: string; password: string } = umamiDefaultLogin): Promise<UmamiApi> {
    const response = await umamiFetch(baseUrl, 'POST', '/api/auth/login', {}, credentials);
    const body = (await readJson(response, 'POST /api/auth/login')) as { token?: string };
    if (!body.token) throw new Error(`Umami's login answered no token: ${JSON.stringify(body)}`);
    return new UmamiApi(baseUrl, body.token);
  }

  async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await umamiFetch(this.baseUrl, method, path, { authorization: `Bearer ${this.token}` }, body);
    return (await readJson(response, `${method} ${path}`)) as T;
  }

  createWebsite(name: string, domain: string): Promise<{ id: string }> {
    return this.call('POST', '/api/websites', { name, domain });
  }

  async events(websiteId: string, startAt: number, endAt = Date.now()): Promise<UmamiEvent[]> {
    const query = new URLSearchParams({ startAt: String(startAt), endAt: String(endAt) });
    const page = await this.call<{ data: UmamiEvent[] }>('GET', `/api/websites/${websiteId}/events?${query}`);
    return page.data;
  }

  async eventDataValues(websiteId: string, event: string, propertyName: string, startAt: number, endAt = Date.now()): Promise<{ value: string; total: number }[]> {
    const query = new URLSearchParams({ startAt: String(startAt), endAt: String(endAt), event, propertyName });
    const rows = await this.call<{ value: string; total: number | string }[]>('GET', `/api/websites/${websiteId}/event-data/values?${query}`);
    // Postgres counts are bigints, which may come back as strings.
    return rows.map((row) => ({ value: row.value, total: Number(row.total) }));
  }
}

/** A request to Umami without credentials (to see what it answers then). */
export function umamiFetch(baseUrl: string, method: 'GET' | 'POST', path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method,
    headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
}

async function readJson(response: Response, what: string): Promise<unknown> {
  const text = await response.text();
  if (!response.ok) throw new Error(`Umami ${what}: HTTP ${response.status} ${text.slice(0, 500)}`);
  return JSON.parse(text);
}
