// The browser app: built into web/dist and served by the API server at /; `npm run dev` serves it
// from Vite with the API proxied, so both share one origin as in production.
import { defineConfig } from 'vite';

const api = `http://127.0.0.1:${process.env.PORT ?? 8000}`;

export default defineConfig({
  root: import.meta.dirname,
  // Preact's automatic JSX runtime; no framework plugin needed.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: { alias: { react: 'preact/compat', 'react-dom': 'preact/compat' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', assetsInlineLimit: 0 },
  server: {
    port: 5173,
    proxy: { '/api': api, '/health': api, '/docs': api, '/redoc': api, '/openapi.json': api },
  },
});
