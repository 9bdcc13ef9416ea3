// The designer's build: `npm run build:designer` → dist/designer, which `ivr-studio serve` serves.
// `npm run dev:designer` runs Vite's dev server; with IVR_STUDIO_SERVER=http://127.0.0.1:PORT (a
// running `ivr-studio serve --no-open`) it forwards /api there, WebSocket included.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const server = process.env.IVR_STUDIO_SERVER;

export default defineConfig({
  root: 'designer',
  plugins: [react()],
  build: {
    outDir: '../dist/designer',
    emptyOutDir: true,
    // One local app, served from disk: the editor (xyflow, CodeMirror) and the lazily loaded layout
    // engine (elkjs, ~1.5 MB) are big by nature, and there is no network to save.
    chunkSizeWarningLimit: 2000,
  },
  server: server
    ? {
        proxy: {
          '/api': {
            target: server,
            ws: true,
            changeOrigin: true,
            // The server accepts only its own origin; through the proxy the page is the dev server's.
            configure: (proxy) => {
              proxy.on('proxyReq', (req) => req.setHeader('origin', server));
              proxy.on('proxyReqWs', (req) => req.setHeader('origin', server));
            },
          },
        },
      }
    : {},
});
