/** The TCP port a URL connects to: its own, else its scheme's (443 for https, 80 otherwise). */
export function portOfUrl(url: string): number {
  const parsed = new URL(url);
  return parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
}
