/** The test archive writer, read back with the `pmtiles` package's own reader (an independent oracle). */
import { describe, expect, it } from 'vitest';
import { PMTiles, TileType } from 'pmtiles';
import type { RangeResponse, Source } from 'pmtiles';
import { pmtilesArchive } from '../../e2e/support/pmtiles-archive.js';

class BufferSource implements Source {
  constructor(private readonly buf: Buffer) {}
  getKey() {
    return 'buffer';
  }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const slice = this.buf.subarray(offset, offset + length);
    return { data: slice.buffer.slice(slice.byteOffset, slice.byteOffset + slice.byteLength) as ArrayBuffer };
  }
}

describe('pmtilesArchive', () => {
  it('writes an archive the pmtiles reader opens, tile by tile', async () => {
    const tiles = [
      { z: 0, x: 0, y: 0, data: Buffer.from('tile-0') },
      { z: 1, x: 1, y: 0, data: Buffer.from('tile-1-1-0') },
      { z: 1, x: 0, y: 1, data: Buffer.from('tile-1-0-1!') },
    ];
    const archive = new PMTiles(new BufferSource(pmtilesArchive(tiles, [113, 22, 121, 27])));
    const header = await archive.getHeader();
    expect(header).toMatchObject({ specVersion: 3, tileType: TileType.Png, minZoom: 0, maxZoom: 1, numAddressedTiles: 3, minLon: 113, maxLat: 27 });
    for (const t of tiles) {
      const got = await archive.getZxy(t.z, t.x, t.y);
      expect(Buffer.from(got!.data).toString()).toBe(t.data.toString());
    }
    expect(await archive.getZxy(1, 1, 1)).toBeUndefined();
    expect(await archive.getMetadata()).toEqual({ name: 'hexwatch test basemap' });
  });
});
