import type { Logger } from 'pino';
import type { SampleAppConfig } from './config.js';
import { requestJson } from './http-json.js';

export interface AnalyticsEvent {
  /** Event name shown in Umami, e.g. "work-ok". */
  name: string;
  /** Page URL or path the event belongs to. */
  url: string;
  hostname: string;
  data?: Record<string, string | number | boolean>;
}

export interface Analytics {
  /** Sends one event; a failure is logged, never thrown (analytics must not fail a request). */
  track(event: AnalyticsEvent): Promise<void>;
}

// Umami drops requests whose User-Agent looks like a bot (its /api/send runs `isbot(userAgent)`), and
// Node's default agent header does. A server-side event therefore introduces itself as a desktop browser.
export const browserUserAgent = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/**
 * Sends events to Umami's collection endpoint, `POST {UMAMI_URL}/api/send` with
 * `{ type: 'event', payload: { website, hostname, url, name, data, ... } }` (umami.is/docs/api/sending-stats).
 */
export function createAnalytics(config: SampleAppConfig, logger: Logger): Analytics {
  const umami = config.umami;
  if (!umami) return { track: async () => {} };
  const endpoint = new URL('api/send', umami.url.href.endsWith('/') ? umami.url : `${umami.url.href}/`);
  return {
    async track(event) {
      const body = {
        type: 'event',
        payload: {
          website: umami.websiteId,
          hostname: event.hostname,
          url: event.url,
          name: event.name,
          title: config.service.name,
          language: 'en-US',
          screen: '1920x1080',
          ...(event.data ? { data: event.data } : {}),
        },
      };
      try {
        const response = await requestJson(endpoint, { method: 'POST', body, headers: { 'user-agent': browserUserAgent }, timeoutMs: 2_000 });
        if (response.status >= 300) logger.warn({ status: response.status, event: event.name }, 'analytics event refused');
      } catch (error) {
        logger.warn({ err: error, event: event.name }, 'analytics event not sent');
      }
    },
  };
}
