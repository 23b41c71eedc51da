// The modules' default exports: OpenTelemetry's HTTP instrumentation patches `default.request` for ESM
// importers, which is what gives outgoing calls their client span and `traceparent` header (Node's
// global fetch is not instrumented by it).
import http from 'node:http';
import https from 'node:https';

export interface JsonResponse {
  status: number;
  body: unknown;
}

export interface JsonRequest {
  method?: 'GET' | 'POST';
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs: number;
}

/** One HTTP request with an optional JSON body; resolves with the status and the parsed JSON answer (or its text). */
export function requestJson(url: URL, { method = 'GET', body, headers = {}, timeoutMs }: JsonRequest): Promise<JsonResponse> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const send = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      {
        method,
        timeout: timeoutMs,
        headers: { accept: 'application/json', ...(payload ? { 'content-type': 'application/json' } : {}), ...headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: parseBody(Buffer.concat(chunks).toString('utf8')) }));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${method} ${url.href} timed out after ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(payload);
  });
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
