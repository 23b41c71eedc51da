/**
 * Whether Grafana serves its web UI (the backend alone answers /login with an error page: no public/views/index.html):
 * GET /login is the UI's HTML, and the scripts it names under public/build/ load. Returns a summary; throws otherwise.
 */
export async function checkUiServed(grafanaUrl: string): Promise<string> {
  const login = await fetch(`${grafanaUrl}/login`, { signal: AbortSignal.timeout(15_000) });
  const html = await login.text();
  const scripts = [...html.matchAll(/src="[^"]*?(public\/build\/[^"]+\.js)"/g)].map((m) => m[1]!);
  if (login.status !== 200 || scripts.length === 0) {
    throw new Error(`Grafana does not serve its UI: GET /login answered ${login.status} with ${scripts.length} public/build scripts:\n${html.slice(0, 400)}`);
  }
  let bytes = 0;
  for (const script of scripts) {
    const asset = await fetch(`${grafanaUrl}/${script}`, { signal: AbortSignal.timeout(15_000) });
    const type = asset.headers.get('content-type') ?? '';
    bytes += (await asset.arrayBuffer()).byteLength;
    if (asset.status !== 200 || !/javascript/.test(type)) throw new Error(`Grafana's UI asset /${script} answered ${asset.status} (${type})`);
  }
  return `GET /login 200 (${html.length} bytes of HTML), ${scripts.length} scripts under /public/build/ load (${(bytes / 1e6).toFixed(1)} MB)`;
}
