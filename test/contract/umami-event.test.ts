// Contract: the analytics event the sample app sends is one Umami's /api/send accepts and records.
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleAppRoutes } from '../sample-app/routes.js';
import { umamiSendBodySchema, umamiSendHeadersSchema, type UmamiSendBody } from './protocols/umami-send.js';
import type { CapturedRequest } from './support/capture-server.js';
import { startFrontAndBack, type FrontAndBack } from './support/front-and-back.js';
import { umamiWebsiteId } from './support/sample-app-env.js';

describe('analytics events sent to Umami (/api/send)', () => {
  let apps: FrontAndBack;
  let sent: CapturedRequest;

  beforeAll(async () => {
    apps = await startFrontAndBack();
    const response = await request(`${apps.front.url}${sampleAppRoutes.ok}`);
    expect(response.statusCode).toBe(200);
    await response.body.dump();
    sent = await apps.standIns.umami.waitFor('POST /api/send', (r) => r.method === 'POST' && r.path === '/api/send');
  });

  afterAll(async () => {
    await apps?.stop();
  });

  it('posts JSON with a User-Agent that Umami does not take for a bot', () => {
    const headers = umamiSendHeadersSchema.parse(sent.headers);
    expect(headers['user-agent']).toMatch(/^Mozilla\/5\.0 /);
  });

  it('sends the body Umami validates: an event with website, hostname, url and name', () => {
    const body: UmamiSendBody = umamiSendBodySchema.parse(JSON.parse(sent.body.toString('utf8')));
    expect(body.payload).toMatchObject({ website: umamiWebsiteId, hostname: '127.0.0.1', url: sampleAppRoutes.ok, name: 'work-ok' });
    expect(body.payload.data).toEqual({ service: 'sample-front' });
  });

  it('sends one event per successful request, and none from the back or for a failure', async () => {
    const failure = await request(`${apps.front.url}${sampleAppRoutes.fail}`);
    expect(failure.statusCode).toBe(500);
    await failure.body.dump();
    expect(apps.standIns.umami.requests).toHaveLength(1);
  });
});
