import { describe, expect, it } from 'vitest';
import { distanceM } from '../../../server/domain/geo.js';
import { createStoreLocator } from '../../../server/ingest/nearest-store.js';
import { GULOU, MONGKOK, TAIJIANG, ZHONGSHAN } from './context.js';

describe('distanceM', () => {
  it.each([
    // one degree of latitude is ~111.2 km; one of longitude at 60° half of that at the equator
    [0, 0, 1, 0, 111_195],
    [60, 0, 60, 1, 55_597],
    [26.0862, 119.2985, 26.0862, 119.2985, 0],
  ])('(%d,%d)-(%d,%d) ~ %d m', (lat1, lng1, lat2, lng2, m) => {
    expect(distanceM(lat1, lng1, lat2, lng2)).toBeCloseTo(m, -1);
  });
});

describe('createStoreLocator', () => {
  const locator = createStoreLocator([GULOU, TAIJIANG, ZHONGSHAN, MONGKOK]);

  it('picks the nearest store whose radius covers the point', () => {
    expect(locator.nearest(26.0862, 119.2985)?.code).toBe('FZ-GL01');
    // between the two Fuzhou stores, nearer Taijiang (both cover it)
    expect(locator.nearest(26.066, 119.309)?.code).toBe('FZ-TJ02');
    expect(locator.nearest(24.4561, 118.0823)?.code).toBe('XM-SM01');
  });

  it('returns null outside every radius, just past the edge too', () => {
    expect(locator.nearest(0, 0)).toBeNull();
    // Zhongshan has 2.5 km: 2.45 km north is in, 2.55 km out
    expect(locator.nearest(24.4561 + 2450 / 111_195, 118.0823)?.code).toBe('XM-SM01');
    expect(locator.nearest(24.4561 + 2550 / 111_195, 118.0823)).toBeNull();
  });

  it('restricts to a city when asked', () => {
    expect(locator.nearest(26.0862, 119.2985, ZHONGSHAN.cityId)).toBeNull();
    expect(locator.nearest(22.3193, 114.1694, MONGKOK.cityId)?.code).toBe('HK-MK01');
  });
});
