import { setTimeout as sleep } from 'node:timers/promises';
import { trace } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { Analytics } from './analytics.js';
import type { SampleAppConfig } from './config.js';
import { requestJson } from './http-json.js';
import { maxSlowMs, sampleAppRoutes, type WorkResponse, type WorkRoute } from './routes.js';

/** The failure `/work/fail` exists for: it happens on every call, so tests can count it. */
export class DeterministicFailure extends Error {
  override name = 'DeterministicFailure';
}

/** The back answered with an error or could not be reached. */
export class UpstreamFailure extends Error {
  override name = 'UpstreamFailure';
}

/** The caller sent something unusable; answered with 400 and not reported as an error. */
export class BadRequest extends Error {
  override name = 'BadRequest';
}

export interface WorkRequest {
  url: URL;
  /** Host the caller addressed, for analytics. */
  hostname: string;
}

export type WorkHandler = (request: WorkRequest) => Promise<WorkResponse>;

interface WorkDependencies {
  config: SampleAppConfig;
  logger: Logger;
  analytics: Analytics;
}

/** The work routes of one instance: a back does the work, a front calls its back for it. */
export function createWorkHandlers({ config, logger, analytics }: WorkDependencies): Record<WorkRoute, WorkHandler> {
  const answer = (upstream?: unknown): WorkResponse => ({
    service: config.service.name,
    outcome: 'ok',
    traceId: currentTraceId(),
    ...(upstream === undefined ? {} : { upstream }),
  });
  const role = config.role;

  if (role.name === 'back') {
    return {
      [sampleAppRoutes.ok]: async () => answer(),
      [sampleAppRoutes.fail]: async () => {
        throw new DeterministicFailure(`${sampleAppRoutes.fail} always fails`);
      },
      [sampleAppRoutes.slow]: async ({ url }) => {
        const ms = slowMilliseconds(url);
        logger.info({ ms }, 'slow work started');
        await sleep(ms);
        return answer();
      },
    };
  }

  const callBack = async (pathAndQuery: string): Promise<unknown> => {
    const target = new URL(pathAndQuery, role.backendUrl);
    let response;
    try {
      response = await requestJson(target, { timeoutMs: maxSlowMs + 5_000 });
    } catch (error) {
      throw new UpstreamFailure(`back unreachable at ${target.origin}: ${(error as Error).message}`, { cause: error });
    }
    if (response.status !== 200) throw new UpstreamFailure(`back answered ${response.status} to ${target.pathname}`);
    return response.body;
  };

  return {
    [sampleAppRoutes.ok]: async ({ url, hostname }) => {
      const upstream = await callBack(sampleAppRoutes.ok);
      await analytics.track({ name: 'work-ok', url: url.pathname, hostname, data: { service: config.service.name } });
      return answer(upstream);
    },
    [sampleAppRoutes.fail]: async () => {
      await callBack(sampleAppRoutes.fail);
      throw new DeterministicFailure(`${sampleAppRoutes.fail} always fails, but the back answered 200`);
    },
    [sampleAppRoutes.slow]: async ({ url }) => answer(await callBack(`${sampleAppRoutes.slow}?ms=${slowMilliseconds(url)}`)),
  };
}

function slowMilliseconds(url: URL): number {
  const value = url.searchParams.get('ms') ?? '1000';
  if (!/^\d+$/.test(value) || Number(value) > maxSlowMs) throw new BadRequest(`ms: expected a whole number from 0 to ${maxSlowMs}, got "${value}"`);
  return Number(value);
}

export function currentTraceId(): string | undefined {
  return trace.getActiveSpan()?.spanContext().traceId;
}
