// Vite config of the playground: `npx vite web` serves it for development, `npx vite build web` (or
// `npx dendrite playground`, which builds on demand) writes web/dist.
import { fileURLToPath } from 'node:url';
import { createLogger, defineConfig } from 'vite';

// The library's Node-only functions (mnist(), model.save, loadModel from files) import node: modules
// inside the function, so the page never loads them; Vite's notes about them are expected, not problems.
const EXPECTED = ['externalized for browser compatibility', 'INEFFECTIVE_DYNAMIC_IMPORT'];
const logger = createLogger('warn');
const warn = logger.warn.bind(logger);
logger.warn = (message, options) => {
  if (!EXPECTED.some((e) => message.includes(e))) warn(message, options);
};

// Cross-origin isolation, as `dendrite playground` serves the page: SharedArrayBuffer exists, so the wasm
// backend runs on threads in the training workers (the live CNN section).
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // relative asset paths: the built page works from any folder or URL prefix
  base: './',
  resolve: {
    // the page uses the library only through its public entry
    // h5wasm (HDF5 for Keras files, 4.8 MB, loaded by the library only when a Keras file is read) is left out
    alias: {
      dendrite: fileURLToPath(new URL('../src/index.ts', import.meta.url)),
      h5wasm: fileURLToPath(new URL('./src/no-h5wasm.ts', import.meta.url)),
    },
  },
  customLogger: logger,
  server: { headers: ISOLATION },
  preview: { headers: ISOLATION },
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1000,
    rolldownOptions: {
      // Rolldown notes when plugins take most of a build (they do on a busy machine): a timing, not a problem,
      // and `dendrite playground` treats any warning on stderr as one
      checks: { bundlerTimings: false },
      onwarn(warning, handler) {
        if (!EXPECTED.includes(warning.code ?? '')) handler(warning);
      },
    },
  },
  logLevel: 'warn',
});
