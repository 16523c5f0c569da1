// `npm run dev`: the API (restarted on change) and Vite's dev server (reloaded on change) with the API
// proxied, both on one origin: open http://localhost:5173.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createServer } from 'vite';

const root = join(import.meta.dirname, '..', '..');
const api = spawn(join(root, 'node_modules', '.bin', 'tsx'), ['watch', 'src/main.ts'], { stdio: 'inherit', cwd: root });
const web = await createServer({ configFile: join(root, 'web', 'vite.config.ts') });
await web.listen();
web.printUrls();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    api.kill(signal);
    void web.close().then(() => process.exit(0));
  });
}
api.once('exit', (code) => {
  void web.close().then(() => process.exit(code ?? 0));
});
