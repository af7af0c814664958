import { defineConfig } from 'vite';
import { worldShapesPlugin } from './build/world-shapes.ts';

// A static single-page app served at `/` by the verifier (with `/api/*` on the same origin).
// JSX is Preact's, through Vite's own transform (oxc); no inline script, no CDN, no web fonts,
// so a `script-src 'self'` policy holds.
export default defineConfig({
  base: '/',
  plugins: [worldShapesPlugin()],
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
    // Keep every asset a file (no data: URLs inlined into CSS or JS).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        // Name the libraries' chunks after them (the charts' and the map's code load with the pages that use them).
        codeSplitting: {
          groups: [{ name: 'uplot', test: /[\\/]node_modules[\\/]uplot[\\/]/ }],
        },
      },
    },
  },
});
