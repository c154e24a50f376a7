// Bundles the Gestalt settings app into dist/settings.js and dist/settings.css for the replica to serve.
// esbuild keeps the packages' license comments (React's, Gestalt's) at the end of each file.
import { build } from "esbuild";

await build({
  entryPoints: { settings: "src/main.jsx" },
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2020",
  jsx: "automatic",
  legalComments: "eof",
  define: { "process.env.NODE_ENV": '"production"' },
  outdir: "dist",
  logLevel: "warning",
});
