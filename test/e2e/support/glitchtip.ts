/**
 * GlitchTip's web API (Sentry-compatible, `/api/0/…`), as the e2e test uses it. Checked against GlitchTip's
 * backend (glitchtip-backend, 6.x, Django Ninja):
 * - auth: `Authorization: Bearer <token>` (glitchtip/api/authentication.py `TokenAuth(HttpBearer)`), the routers
 *   mounted under `/api/0/` (glitchtip/api/api.py); a token's scopes are checked by each endpoint's
 *   `has_permission([...])`, where any listed scope suffices;
 * - POST organizations/ {name} (apps/organizations_ext/api.py `create_organization`: the first organization is
 *   always allowed, and superusers always, whatever ENABLE_ORGANIZATION_CREATION says);
 * - POST organizations/{org}/teams/ {slug} (apps/teams/api.py `create_team`);
 * - POST teams/{org}/{team}/projects/ {name, platform} (apps/projects/api.py `create_project`; the project gets
 *   its DSN key on creation, apps/projects/tests/test_api.py `test_create`);
 * - GET projects/{org}/{project}/keys/ → [{ dsn: { public } }] (apps/projects/schema.py `ProjectKeySchema`);
 * - GET projects/{org}/{project}/issues/ → [{ id, title, … }] (apps/issue_events/api/issues.py);
 * - GET issues/{id}/events/latest/ → { eventID, tags: [{ key, value }], … } (apps/issue_events/api/events.py,
 *   schema.py `IssueEventSchema`: `eventID` is the SDK's event_id as hex, test_issue_event_api.py
 *   `test_retrieve_by_sentry_event_id`; tags are the event's own tags plus environment, release, server_name,
 *   apps/event_ingest/process_event.py `generate_tags`).
 */
import type { ComposeProject } from '../../harness/compose-cli.js';

export interface GlitchTipIssue {
  id: string;
  title: string;
}

export interface GlitchTipEvent {
  eventID: string;
  tags: { key: string; value: string | null }[];
}

/** A project ready to receive events: where it lives and the DSN the SDK sends to. */
export interface GlitchTipProject {
  organization: string;
  project: string;
  dsn: string;
}

export class GlitchTipApi {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/api/0/${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`GlitchTip ${method} /api/0/${path}: HTTP ${response.status} ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
  }

  /** An organization, a team and a project in it; the DSN is rewritten to reach the web service at `baseUrl`. */
  async createProject(name: string): Promise<GlitchTipProject> {
    const organization = await this.call<{ slug: string }>('POST', 'organizations/', { name: `${name} org` });
    const team = await this.call<{ slug: string }>('POST', `organizations/${organization.slug}/teams/`, { slug: `${name}-team` });
    const project = await this.call<{ slug: string }>('POST', `teams/${organization.slug}/${team.slug}/projects/`, { name, platform: 'node' });
    const keys = await this.call<{ dsn: { public: string } }[]>('GET', `projects/${organization.slug}/${project.slug}/keys/`);
    const publicDsn = keys[0]?.dsn.public;
    if (!publicDsn) throw new Error(`GlitchTip project ${project.slug} has no DSN key`);
    // GlitchTip writes its GLITCHTIP_DOMAIN (http://localhost:8000) into the DSN; the test reaches the port
    // compose publishes on 127.0.0.1 (localhost may resolve to ::1, where nothing listens).
    const dsn = new URL(publicDsn);
    const reachable = new URL(this.baseUrl);
    dsn.hostname = reachable.hostname;
    dsn.port = reachable.port;
    return { organization: organization.slug, project: project.slug, dsn: dsn.href };
  }

  issues(project: GlitchTipProject): Promise<GlitchTipIssue[]> {
    return this.call('GET', `projects/${project.organization}/${project.project}/issues/`);
  }

  latestEvent(issueId: string): Promise<GlitchTipEvent> {
    return this.call('GET', `issues/${issueId}/events/latest/`);
  }
}

/**
 * A superuser with an API token, made inside the web container with Django's shell: GlitchTip creates API
 * tokens only for a logged-in session (apps/api_tokens/api.py, `SessionAuth`). The script does what
 * GlitchTip's own provisioning migration does (apps/users/migrations/0013_populate_user_and_token.py:
 * `User.objects.create_superuser(email=, password=)`, then an `APIToken` whose scopes are the OR of
 * `getattr(APIToken.scopes, "<scope>")`), with every admin scope.
 */
export function createSuperuserToken(compose: ComposeProject, service: string, email: string, password: string): string {
  const script = [
    'import functools, operator',
    'from apps.api_tokens.models import APIToken',
    'from apps.users.models import User',
    `user = User.objects.create_superuser(email=${JSON.stringify(email)}, password=${JSON.stringify(password)})`,
    'scopes = functools.reduce(operator.or_, [getattr(APIToken.scopes, s) for s in ("org:admin", "team:admin", "project:admin", "event:admin", "member:admin")])',
    'token = APIToken.objects.create(user=user, label="observatory-e2e", scopes=scopes)',
    'print("OBSERVATORY_E2E_TOKEN=" + token.token)',
  ].join('\n');
  const output = compose.run('exec', '-T', service, './manage.py', 'shell', '-c', script);
  const token = /^OBSERVATORY_E2E_TOKEN=(\S+)$/m.exec(output)?.[1];
  if (!token) throw new Error(`no API token in the output of manage.py shell:\n${output}`);
  return token;
}
