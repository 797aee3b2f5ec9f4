import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const API_TARGET = process.env.HEXWATCH_API ?? 'http://localhost:3000';
// /auth: the Feishu OAuth start and callback routes
const proxied = ['/trpc', '/media', '/healthz', '/readyz', '/api', '/auth'];

export default defineConfig({
  root: fileURLToPath(new URL('./client', import.meta.url)),
  plugins: [react()],
  build: {
    // CLIENT_DIR: where the server serves the build from (README, Configuration)
    outDir: process.env.CLIENT_DIR ? resolve(process.env.CLIENT_DIR) : fileURLToPath(new URL('./dist/client', import.meta.url)),
    emptyOutDir: true,
    // maplibre-gl alone is ~1 MB minified; split it (and deck.gl) out so the app chunk stays small
    // and the vendors cache across deploys.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      // The app, and bench:ui's floor (client/bench/basemap-only.html: MapLibre alone, same chunk).
      input: {
        main: fileURLToPath(new URL('./client/index.html', import.meta.url)),
        'basemap-only': fileURLToPath(new URL('./client/bench/basemap-only.html', import.meta.url)),
      },
      output: {
        codeSplitting: {
          groups: [
            { name: 'maplibre', test: /node_modules[\\/]maplibre-gl/ },
            { name: 'deck', test: /node_modules[\\/](@deck\.gl|@luma\.gl|@loaders\.gl|@math\.gl)/ },
            // Its own chunk: a first-screen feature that needs a cell's outline must not pull in deck.gl.
            { name: 'h3', test: /node_modules[\\/]h3-js/, priority: 10 },
            // Vite's preload helper goes with the first screen's vendors: left to chance it landed in
            // the deck.gl chunk, and the entry's static import of it preloaded all of deck.gl.
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|@tanstack|@trpc)[\\/]|vite[\\/]preload-helper/, priority: 20 },
          ],
        },
      },
    },
  },
  server: {
    proxy: Object.fromEntries(proxied.map((path) => [path, { target: API_TARGET, changeOrigin: false }])),
  },
});
