/**
 * A tiny PMTiles v3 archive for basemap tests, written here because the `pmtiles` package only
 * reads (spec: https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md): a 127-byte
 * header, an uncompressed root directory, JSON metadata and the tiles. And a local HTTP server for
 * it that answers Range requests with CORS, as a CDN or object store would.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { zxyToTileId } from 'pmtiles';

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

/**
 * Raster PNG tiles, `tiles[i]` at `[z, x, y]`, in an archive with no compression. `padBytes` of
 * metadata push the tiles past the reader's first 16 KiB read, so that a tile is a request of its own.
 */
export function pmtilesArchive(
  tiles: ReadonlyArray<{ z: number; x: number; y: number; data: Buffer }>,
  bounds: [w: number, s: number, e: number, n: number],
  padBytes = 0,
): Buffer {
  const entries = tiles.map((t) => ({ id: zxyToTileId(t.z, t.x, t.y), data: t.data })).sort((a, b) => a.id - b.id);
  let offset = 0;
  const placed = entries.map((e) => {
    const p = { id: e.id, offset, length: e.data.length };
    offset += e.data.length;
    return p;
  });
  const dir: number[] = [...varint(placed.length)];
  let last = 0;
  for (const e of placed) {
    dir.push(...varint(e.id - last));
    last = e.id;
  }
  for (let i = 0; i < placed.length; i++) dir.push(...varint(1)); // run lengths
  for (const e of placed) dir.push(...varint(e.length));
  // offset + 1, or 0 when the tile follows the previous one directly
  placed.forEach((e, i) => dir.push(...varint(i > 0 && e.offset === placed[i - 1]!.offset + placed[i - 1]!.length ? 0 : e.offset + 1)));
  const root = Buffer.from(dir);
  const metadata = Buffer.from(JSON.stringify({ name: 'hexwatch test basemap', ...(padBytes ? { padding: 'x'.repeat(padBytes) } : {}) }));
  const data = Buffer.concat(entries.map((e) => e.data));
  const zooms = tiles.map((t) => t.z);

  const header = Buffer.alloc(127);
  header.write('PMTiles', 0, 'ascii');
  header.writeUInt8(3, 7);
  const u64 = (at: number, v: number) => header.writeBigUInt64LE(BigInt(v), at);
  u64(8, 127); // root directory
  u64(16, root.length);
  u64(24, 127 + root.length); // metadata
  u64(32, metadata.length);
  u64(40, 127 + root.length + metadata.length); // no leaf directories
  u64(48, 0);
  u64(56, 127 + root.length + metadata.length); // tile data
  u64(64, data.length);
  u64(72, entries.length); // addressed tiles
  u64(80, entries.length); // tile entries
  u64(88, entries.length); // tile contents
  header.writeUInt8(1, 96); // clustered
  header.writeUInt8(1, 97); // internal compression: none
  header.writeUInt8(1, 98); // tile compression: none
  header.writeUInt8(2, 99); // tile type: png
  header.writeUInt8(Math.min(...zooms), 100);
  header.writeUInt8(Math.max(...zooms), 101);
  const e7 = (v: number) => Math.round(v * 1e7);
  header.writeInt32LE(e7(bounds[0]), 102);
  header.writeInt32LE(e7(bounds[1]), 106);
  header.writeInt32LE(e7(bounds[2]), 110);
  header.writeInt32LE(e7(bounds[3]), 114);
  header.writeUInt8(Math.max(...zooms), 118);
  header.writeInt32LE(e7((bounds[0] + bounds[2]) / 2), 119);
  header.writeInt32LE(e7((bounds[1] + bounds[3]) / 2), 123);
  return Buffer.concat([header, root, metadata, data]);
}

export interface ArchiveServer {
  url: string;
  /** Requests answered (the header read and the tiles). */
  requests(): number;
  /** Start offsets of the ranges asked for. */
  rangeStarts(): number[];
  close(): Promise<void>;
}

/** Serves `archive` at /basemap.pmtiles with Range support and CORS. */
export async function serveArchive(archive: Buffer): Promise<ArchiveServer> {
  let count = 0;
  const starts: number[] = [];
  const server = createServer((req, res) => {
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'range, if-match', 'access-control-expose-headers': 'etag, content-range, content-length' };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    if (req.url !== '/basemap.pmtiles') {
      res.writeHead(404, cors).end();
      return;
    }
    count++;
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (!m) {
      res.writeHead(200, { ...cors, 'content-type': 'application/octet-stream', etag: '"t1"' }).end(archive);
      return;
    }
    const start = Number(m[1]);
    starts.push(start);
    const end = Math.min(m[2] ? Number(m[2]) : archive.length - 1, archive.length - 1);
    res.writeHead(206, { ...cors, 'content-type': 'application/octet-stream', etag: '"t1"', 'content-range': `bytes ${start}-${end}/${archive.length}` });
    res.end(archive.subarray(start, end + 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/basemap.pmtiles`,
    requests: () => count,
    rangeStarts: () => [...starts],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
