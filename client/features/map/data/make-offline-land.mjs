// Generates offline-land.json, the land polygons of the offline basemap (no network at run time).
// Source: Natural Earth via the npm packages world-atlas@2 (public domain) and topojson-client@3,
// which are not project dependencies: install them anywhere and pass that node_modules folder:
//   npm install --prefix /tmp/geo world-atlas@2 topojson-client@3
//   node client/features/map/data/make-offline-land.mjs /tmp/geo/node_modules
// Output: the whole world at 1:110m (coarse, for zoomed-out views) plus the coast of the demo
// cities (Fuzhou, Xiamen, Hong Kong) at 1:10m, clipped to REGION_BBOX; coordinates [lng, lat].
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const modules = process.argv[2];
if (!modules) {
  console.error('usage: node make-offline-land.mjs <node_modules with world-atlas and topojson-client>');
  process.exit(1);
}
const { feature } = await import(pathToFileURL(join(modules, 'topojson-client/dist/topojson-client.js')).href);
const load = (name) => JSON.parse(readFileSync(join(modules, 'world-atlas', name), 'utf8'));

/** [west, south, east, north] degrees: the south-east China coast from Hong Kong to north of Fuzhou. */
const REGION_BBOX = [111, 20.5, 123, 28.5];

const round = (digits) => (ring) => ring.map(([x, y]) => [+x.toFixed(digits), +y.toFixed(digits)]);

function dedupe(ring) {
  const out = [];
  for (const p of ring) {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  return out;
}

// Sutherland–Hodgman against each edge of the box: fine for filled polygons (the seams lie on
// the box edge, outside the area we draw at 1:10m).
function clipRing(ring, [w, s, e, n]) {
  const edges = [
    [(p) => p[0] >= w, (a, b) => [w, a[1] + ((b[1] - a[1]) * (w - a[0])) / (b[0] - a[0])]],
    [(p) => p[0] <= e, (a, b) => [e, a[1] + ((b[1] - a[1]) * (e - a[0])) / (b[0] - a[0])]],
    [(p) => p[1] >= s, (a, b) => [a[0] + ((b[0] - a[0]) * (s - a[1])) / (b[1] - a[1]), s]],
    [(p) => p[1] <= n, (a, b) => [a[0] + ((b[0] - a[0]) * (n - a[1])) / (b[1] - a[1]), n]],
  ];
  let out = ring;
  for (const [inside, cross] of edges) {
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const cur = input[i];
      const prev = input[(i + input.length - 1) % input.length];
      if (inside(cur)) {
        if (!inside(prev)) out.push(cross(prev, cur));
        out.push(cur);
      } else if (inside(prev)) {
        out.push(cross(prev, cur));
      }
    }
    if (out.length === 0) break;
  }
  if (out.length < 3) return null;
  out.push(out[0]);
  return out;
}

function polygonsOf(geojson) {
  const polys = [];
  for (const f of geojson.features) {
    const g = f.geometry;
    if (g.type === 'Polygon') polys.push(g.coordinates);
    else if (g.type === 'MultiPolygon') polys.push(...g.coordinates);
  }
  return polys;
}

const world = load('land-110m.json');
const coarse = polygonsOf(feature(world, world.objects.land))
  .map((poly) => poly.map(round(2)).map(dedupe))
  .filter((poly) => poly[0].length >= 4);

const detailed = load('land-10m.json');
const fine = [];
for (const poly of polygonsOf(feature(detailed, detailed.objects.land))) {
  const rings = poly.map((ring) => clipRing(ring.slice(0, -1), REGION_BBOX)).filter(Boolean);
  if (rings.length && rings[0]) fine.push(rings.map(round(4)).map(dedupe).filter((r) => r.length >= 4));
}

const out = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { detail: 'coarse' }, geometry: { type: 'MultiPolygon', coordinates: coarse } },
    { type: 'Feature', properties: { detail: 'fine', bbox: REGION_BBOX }, geometry: { type: 'MultiPolygon', coordinates: fine.filter((p) => p.length) } },
  ],
};
const file = new URL('./offline-land.json', import.meta.url);
writeFileSync(file, JSON.stringify(out));
console.log(`wrote ${file.pathname}: ${coarse.length} coarse + ${fine.length} fine polygons, ${JSON.stringify(out).length} bytes`);
