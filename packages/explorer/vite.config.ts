// The explorer's build (docs/adr/011-explorer.md): one static app under /explorer/, served by the
// node. Hash routing means the server only ever serves files; the API is the same origin.
import { defineConfig } from 'vite';

/** `npm run dev -w @xinlian/explorer` proxies the API to this node (any node of a running chain). */
const devNode = process.env.XINLIAN_NODE_URL ?? 'http://127.0.0.1:8701';

export default defineConfig({
  base: '/explorer/',
  build: {
    // dist/src and dist/test hold tsc's output (unit tests); the app has its own folder.
    outDir: 'dist/app',
    emptyOutDir: true,
    // Nothing inlined as data: URLs, so the strict Content-Security-Policy needs no exceptions.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: { proxy: { '/v1': devNode } },
});
