// The build of a service or the CLI (`npm run build` in its folder, `turbo run build` for all):
// `node ../../scripts/bundle.mjs src/main.ts [more entries]` bundles each entry into dist/<name>.js,
// plain JavaScript that `node` runs without tsx. The workspace packages (`@keywatch/*`, whose
// exports are TypeScript sources) are inlined; every other package stays an import, resolved from
// node_modules at run time as it is under tsx, so the bundle behaves as the sources do.
//
// A module inlined here sees import.meta.url as the bundle's (dist/<entry>.js), not its own file's:
// a package finds its own files by resolving its name (see packages/db/src/client.ts), a service
// from its package folder (see services/verifier/src/routes/dashboard.ts).
import { readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { basename, extname, join } from 'node:path';
import { build } from 'esbuild';

const entries = process.argv.slice(2);
if (entries.length === 0) {
  console.error('usage: node scripts/bundle.mjs <entry.ts>... (from the package folder; writes dist/)');
  process.exit(2);
}

/** Bare imports other than our own packages stay imports; `node:` built-ins are external anyway. */
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@keywatch/') ? undefined : { path: args.path, external: true },
    );
  },
};

rmSync('dist', { recursive: true, force: true });
const { metafile } = await build({
  entryPoints: Object.fromEntries(entries.map((e) => [basename(e, extname(e)), e])),
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Modules loaded with a dynamic import (the CLI's local commands) become chunks loaded on first
  // use, next to the entries so that import.meta.url-relative paths mean the same in both.
  splitting: true,
  chunkNames: '[name]-[hash]',
  sourcemap: true,
  keepNames: true,
  logLevel: 'warning',
  plugins: [externalPackages],
  metafile: true,
});

// Where dev dependencies are not installed (the Docker image), a bundle finds only the packages
// that this one and the workspace packages it inlines declare as `dependencies`: an import of any
// other would work here (hoisted) and fail there, so it fails the build.
const manifest = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const workspaceDir = (name) => {
  const [scope, bare] = name.split('/');
  return ['packages', 'services', '.']
    .map((d) => join('..', '..', d, bare))
    .find((dir) => {
      try {
        return manifest(dir).name === `${scope}/${bare}`;
      } catch {
        return false;
      }
    });
};
const shipped = new Set();
const visit = (dir) => {
  for (const name of Object.keys(manifest(dir).dependencies ?? {})) {
    if (shipped.has(name)) continue;
    shipped.add(name);
    if (name.startsWith('@keywatch/')) visit(workspaceDir(name) ?? `missing workspace ${name}`);
  }
};
visit('.');
const packageOf = (path) =>
  path
    .split('/')
    .slice(0, path.startsWith('@') ? 2 : 1)
    .join('/');
const undeclared = new Set(
  Object.values(metafile.outputs)
    .flatMap((output) => output.imports)
    .filter((i) => i.external && !isBuiltin(i.path))
    .map((i) => packageOf(i.path))
    .filter((name) => !shipped.has(name)),
);
if (undeclared.size > 0) {
  console.error(
    `bundle: ${[...undeclared].join(', ')} imported but not among the dependencies of this package or the workspace packages it uses`,
  );
  process.exit(1);
}
