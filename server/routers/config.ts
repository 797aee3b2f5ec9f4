/**
 * What the browser needs to know about this deployment before it draws anything: the basemap
 * (DESIGN.md "Basemap"). Public: the sign-in screen may show the map's attribution, and none
 * of it is secret (tile and style URLs end up in every browser anyway).
 */
import type { Env } from '../env.js';
import { publicProcedure, router } from '../trpc.js';

export type BasemapKind = Env['BASEMAP'];

export interface BasemapConfigDto {
  kind: BasemapKind;
  /** Raster tile URL templates ({z}/{x}/{y}) for `osm` and `amap`; several = spread over hosts. */
  tileUrls: string[];
  /** MapLibre style JSON for `style`. */
  styleUrl: string | null;
  /** PMTiles archive for `pmtiles` (absolute, or a path on this app). */
  pmtilesUrl: string | null;
  /** Coordinates the basemap is drawn in: AMap tiles are GCJ-02, everything else WGS-84. */
  crs: 'wgs84' | 'gcj02';
  /** Attribution the tiles require (the style's own sources add theirs). */
  attribution: string;
}

export interface ClientConfigDto {
  basemap: BasemapConfigDto;
  /**
   * The time zone every city shares (null: none or several): days picked in the UI (a chart's
   * bar, a date range) are that zone's days, as the charts count them.
   */
  timeZone: string | null;
  /** The server's clock (ISO) as this answer left: the browser counts its days from it (client/lib/clock.ts). */
  now: string;
}

const OSM_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
/** AMap's public road tiles (style 8), GCJ-02, on four hosts. */
const AMAP_TILE_URLS = [1, 2, 3, 4].map(
  (n) => `https://webrd0${n}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}`,
);

/** Expands `{a-d}` / `{1-4}` host ranges into one template per host. */
export function expandTileUrl(template: string): string[] {
  const m = /\{([a-z0-9])-([a-z0-9])\}/.exec(template);
  if (!m) return [template];
  const out: string[] = [];
  for (let c = m[1]!.charCodeAt(0); c <= m[2]!.charCodeAt(0); c++) out.push(template.replace(m[0], String.fromCharCode(c)));
  return out.length ? out : [template];
}

export function basemapConfig(env: Pick<Env, 'BASEMAP' | 'BASEMAP_TILE_URL' | 'BASEMAP_STYLE_URL' | 'BASEMAP_PMTILES_URL'>): BasemapConfigDto {
  const kind = env.BASEMAP;
  const custom = env.BASEMAP_TILE_URL ? expandTileUrl(env.BASEMAP_TILE_URL) : null;
  return {
    kind,
    tileUrls: kind === 'osm' ? (custom ?? [OSM_TILE_URL]) : kind === 'amap' ? (custom ?? AMAP_TILE_URLS) : [],
    styleUrl: kind === 'style' ? (env.BASEMAP_STYLE_URL ?? null) : null,
    pmtilesUrl: kind === 'pmtiles' ? (env.BASEMAP_PMTILES_URL ?? null) : null,
    crs: kind === 'amap' ? 'gcj02' : 'wgs84',
    attribution:
      kind === 'osm'
        ? '© OpenStreetMap contributors'
        : kind === 'amap'
          ? '© 高德地图 AutoNavi'
          : kind === 'offline'
            ? 'Natural Earth'
            : '',
  };
}

export const configRouter = router({
  /** The deployment's client configuration (basemap kind, URLs, coordinate system, attribution). */
  client: publicProcedure.query(async ({ ctx }): Promise<ClientConfigDto> => {
    const zones = [...new Set((await ctx.store.listCities()).map((c) => c.tz))];
    return { basemap: basemapConfig(ctx.env), timeZone: zones.length === 1 ? zones[0]! : null, now: ctx.env.clock.now().toISOString() };
  }),
});
