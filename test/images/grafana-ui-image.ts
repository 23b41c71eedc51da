/**
 * Grafana with its web UI: the factory's Grafana image (same binary, same layout) plus the built frontend
 * (grafana-frontend.ts) at /usr/share/grafana/public, as upstream's image ships it. A variant tagged
 * `observatory.local/grafana:<version>-ui`, built only when asked (`npm run screenshots`, or
 * `node dist/test/images/grafana-ui-image.js`): the frontend build is too slow for `npm test`, whose image stays the
 * backend alone.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureGrafanaFrontend, type FrontendStamp } from './grafana-frontend.js';
import { ensureImageOf, imageLayouts, imageTag, type ImageLayout, type ImageResult } from './build.js';

export const GRAFANA_UI_TAG_SUFFIX = '-ui';

/** `observatory.local/grafana:<version>-ui` */
export function grafanaUiImageTag(): string {
  return `${imageTag('grafana')}${GRAFANA_UI_TAG_SUFFIX}`;
}

/** The Grafana layout with the whole built `public/` in place of the two parts the backend alone needs. */
export function grafanaUiLayout(publicDir: string): ImageLayout {
  const base = imageLayouts.grafana;
  return {
    ...base,
    files: [
      ...(base.files ?? []).filter((f) => !f.to.startsWith('/usr/share/grafana/public')),
      { to: '/usr/share/grafana/public', from: publicDir },
    ],
  };
}

export interface GrafanaUiImage {
  readonly tag: string;
  readonly image: ImageResult;
  readonly frontend: FrontendStamp;
  readonly frontendCached: boolean;
}

/** Builds (when missing or outdated) the frontend, then the UI image. */
export async function ensureGrafanaUiImage(options: { force?: boolean; log?: (line: string) => void } = {}): Promise<GrafanaUiImage> {
  const frontend = await ensureGrafanaFrontend(options);
  const tag = grafanaUiImageTag();
  const image = await ensureImageOf(
    { component: 'grafana', tag, layout: grafanaUiLayout(frontend.publicDir), extraInputs: frontend.stamp.recipeHash },
    { force: options.force, log: options.log },
  );
  if (image.error) throw new Error(`${tag}: ${image.error}`);
  return { tag, image, frontend: frontend.stamp, frontendCached: frontend.cached };
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const started = Date.now();
  ensureGrafanaUiImage({ force: process.argv.includes('--force') }).then(
    (built) => {
      const f = built.frontend;
      console.log(
        `${built.tag}: ${built.image.sizeMB ?? '?'} MB${built.image.imageCached ? ' (cached)' : ''}, ready in ${Math.round((Date.now() - started) / 1000)} s\n` +
          `  frontend${built.frontendCached ? ' (cached)' : ''}: cold build ${f.seconds} s, yarn install ${f.install.seconds} s ` +
          `(peak RSS ${f.install.peakRssMB} MB), webpack ${f.webpack.seconds} s (peak RSS ${f.webpack.peakRssMB} MB), public/ ${f.publicMB} MB`,
      );
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
