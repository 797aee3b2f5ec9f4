/**
 * The client may share only the pure domain with the server, never the store or Node code.
 * Checked on the real module graph: Vite builds the client with the project's own config (npm
 * packages left external, so it takes a second or two, nothing written), and every module of
 * the bundle must be the client's own or server/domain's; no chunk may import a Node built-in. Type-only imports of the routers (the
 * tRPC types) are erased by the build and so are allowed, as they should be.
 * And server/domain itself stays pure: its files import each other and npm packages, never Node
 * built-ins, framework or storage code, nor another server folder.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { Rolldown } from 'vite';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** Packages the pure domain must never use: servers, databases, the tRPC server side. */
const SERVER_ONLY_PACKAGES = ['express', 'pg', '@duckdb/node-api', '@trpc/server', 'pino', 'ws'];

/** Bare specifiers (npm packages) stay external: the boundary is about our own modules. */
const isBare = (id: string) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0') && !/^[A-Za-z]:[\\/]/.test(id);

interface ClientBundle {
  modules: string[];
  imports: string[];
  /** npm packages the app's entry imports statically, directly or through its static chunks: the first screen's. */
  firstScreenPackages: string[];
}

let bundle: Promise<ClientBundle> | null = null;

/** One build for the tests below. */
function clientBundle(): Promise<ClientBundle> {
  return (bundle ??= buildClientBundle());
}

async function buildClientBundle(): Promise<ClientBundle> {
  const result = await build({
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'silent',
    build: { write: false, minify: false, reportCompressedSize: false, rolldownOptions: { external: isBare } },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const modules = new Set<string>();
  const imports = new Set<string>();
  const chunks = new Map<string, Rolldown.OutputChunk>();
  for (const o of outputs) {
    for (const chunk of o.output) {
      if (chunk.type !== 'chunk') continue;
      chunks.set(chunk.fileName, chunk);
      for (const id of chunk.moduleIds) modules.add(id);
      for (const id of [...chunk.imports, ...chunk.dynamicImports]) imports.add(id);
    }
  }
  // the app's entry (client/main.tsx), then every chunk and package it imports statically
  const entry = [...chunks.values()].find((c) => c.isEntry && c.moduleIds.some((id) => projectPath(id) === 'client/main.tsx'));
  if (!entry) throw new Error('no entry chunk holds client/main.tsx');
  const packages = new Set<string>();
  const seen = new Set<string>();
  const walk = (chunk: Rolldown.OutputChunk) => {
    if (seen.has(chunk.fileName)) return;
    seen.add(chunk.fileName);
    for (const id of chunk.imports) {
      const next = chunks.get(id);
      if (next) walk(next);
      else if (isBare(id)) packages.add(id);
    }
  };
  walk(entry);
  return { modules: [...modules], imports: [...imports], firstScreenPackages: [...packages] };
}

/** Project files of the bundle as paths from the repository root ('' for virtual modules). */
const projectPath = (id: string) => (id.startsWith(ROOT + sep) ? relative(ROOT, id).split(sep).join('/') : '');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(e.name) ? [path] : [];
  });
}

/** Runtime import specifiers of a module: `import ... from`, `export ... from`, `import(...)`; `import type` left out. */
function runtimeImports(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/^\s*(?:import|export)\s+(type\s+)?[^'"]*?\bfrom\s+['"]([^'"]+)['"]/gm)) if (!m[1]) out.push(m[2]!);
  for (const m of source.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) out.push(m[1]!);
  for (const m of source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  return out;
}

describe('what the client shares with the server', () => {
  it('bundles only its own modules and server/domain, and no Node built-in', async () => {
    const { modules, imports } = await clientBundle();
    const ours = modules.map(projectPath).filter(Boolean);
    // the graph is really there: the app, and the domain rules it shares
    expect(ours).toContain('client/main.tsx');
    expect(ours).toContain('server/domain/incident.ts');
    expect(ours).toContain('server/domain/closure.ts');
    expect(ours.filter((p) => !p.startsWith('client/') && !p.startsWith('server/domain/'))).toEqual([]);
    expect(imports.filter((id) => NODE_BUILTINS.has(id))).toEqual([]);
    expect(imports.filter((id) => SERVER_ONLY_PACKAGES.some((p) => id === p || id.startsWith(`${p}/`)))).toEqual([]);
  }, 120_000);

  it('keeps the map libraries out of the first screen: h3-js, MapLibre, deck.gl and ECharts load later', async () => {
    const { firstScreenPackages } = await clientBundle();
    // the walk sees the first screen's own packages
    expect(firstScreenPackages).toContain('react');
    // h3-js (61 kB gz) came in with the live updates' change handler and the filter schema's
    // import of h3-cells; both now leave it to the map's chunk
    const heavy = firstScreenPackages.filter((p) => /^(h3-js|maplibre-gl|@deck\.gl\/|@luma\.gl\/|echarts)/.test(p));
    expect(heavy).toEqual([]);
  }, 120_000);

  it('keeps server/domain pure: it imports only itself and npm packages that are not server code', () => {
    const domain = join(ROOT, 'server', 'domain');
    const offending: string[] = [];
    for (const file of sourceFiles(domain)) {
      for (const spec of runtimeImports(readFileSync(file, 'utf8'))) {
        const where = relative(ROOT, file);
        if (NODE_BUILTINS.has(spec) || SERVER_ONLY_PACKAGES.some((p) => spec === p || spec.startsWith(`${p}/`))) offending.push(`${where}: ${spec}`);
        else if (!isBare(spec) && !resolve(file, '..', spec).startsWith(domain + sep)) offending.push(`${where}: ${spec}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('finds a forbidden import with the same reader (the scan is not blind)', () => {
    expect(runtimeImports(`import { readFileSync } from 'node:fs';\nimport type { X } from '../store/types.js';\nexport { y } from './y.js';`)).toEqual([
      'node:fs',
      './y.js',
    ]);
  });
});
