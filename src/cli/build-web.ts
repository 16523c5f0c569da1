// Builds the web app when its build is missing or older than its sources (`npm start` runs this
// first, and so do the browser tests), so a fresh clone needs no extra step.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'vite';

const WEB_DIR = join(import.meta.dirname, '..', '..', 'web');
const BUILT_PAGE = join(WEB_DIR, 'dist', 'index.html');
const SOURCES = ['src', 'index.html', 'vite.config.ts', join('..', 'package-lock.json')].map((path) =>
  join(WEB_DIR, path),
);

function newestChange(path: string): number {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

export function webBuildIsCurrent(): boolean {
  const built = statSync(BUILT_PAGE, { throwIfNoEntry: false });
  return built !== undefined && built.mtimeMs >= Math.max(...SOURCES.map(newestChange));
}

export async function ensureWebBuilt(): Promise<void> {
  if (webBuildIsCurrent()) return;
  console.error('Building the web app (web/ → web/dist)…');
  await build({ configFile: join(WEB_DIR, 'vite.config.ts'), logLevel: 'warn' });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await ensureWebBuilt();
