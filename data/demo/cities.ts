/**
 * Demo cities: Fuzhou and Xiamen always, more Fujian cities for the large sizes.
 *
 * Centres are the cities' usual reference coordinates (WGS-84). Each city carries hand-drawn
 * land zones (urban districts, kept clear of the Min River, Xiamen's straits and lakes) so that
 * stores and incidents land on land, and road corridors (polylines whose vertices are busy
 * intersections) along which incidents concentrate. All cities here are in Asia/Shanghai.
 */
import type { CityInput } from '../../server/store/types.js';
import { boundsOf, isInRing, type Bounds, type LatLng } from './geo.js';

export const DEMO_TZ = 'Asia/Shanghai';

export interface LandZone {
  /** District name, used in store names. */
  districtZh: string;
  ring: readonly LatLng[];
  holes?: readonly (readonly LatLng[])[];
  /** Relative share of the city's stores placed in this zone. */
  weight: number;
  /** Neighbourhood names for stores in this zone. */
  places: readonly string[];
}

export interface CitySpec extends CityInput {
  /** Prefix of store codes: `FZ-001`. */
  code: string;
  land: readonly LandZone[];
  corridors: readonly (readonly LatLng[])[];
  /** Where the first store (FZ-001, XM-001: the demo managers' stores) stands. */
  firstStore: LatLng;
  firstStorePlace: string;
}

function rect(south: number, west: number, north: number, east: number): LatLng[] {
  return [
    [south, west],
    [north, west],
    [north, east],
    [south, east],
  ];
}

const FUZHOU: CitySpec = {
  key: 'fuzhou',
  name: 'Fuzhou',
  nameZh: '福州',
  tz: DEMO_TZ,
  centerLat: 26.0745,
  centerLng: 119.2965,
  code: 'FZ',
  firstStore: [26.0857, 119.2985],
  firstStorePlace: '东街口',
  land: [
    {
      // North of the Min River's north branch: Gulou, Taijiang, Jin'an.
      districtZh: '鼓楼',
      ring: [
        [26.072, 119.24],
        [26.125, 119.245],
        [26.13, 119.3],
        [26.112, 119.37],
        [26.078, 119.382],
        [26.058, 119.375],
        [26.056, 119.34],
        [26.055, 119.3],
        [26.068, 119.262],
      ],
      // West Lake (西湖) and Zuohai lake.
      holes: [rect(26.091, 119.279, 26.101, 119.291)],
      weight: 6,
      places: ['东街口', '五四北', '屏山', '温泉', '西湖', '达明', '茶亭', '宝龙', '五一广场', '上下杭', '王庄', '岳峰', '新店', '华林', '洪山', '福新', '鼓山', '象园', '台江', '六一中路'],
    },
    {
      // Cangshan, between the north branch and the Wulong River.
      districtZh: '仓山',
      ring: [
        [26.045, 119.255],
        [26.045, 119.285],
        [26.036, 119.305],
        [26.034, 119.345],
        [26.006, 119.345],
        [26.002, 119.3],
        [26.01, 119.26],
      ],
      weight: 3,
      places: ['金山', '首山', '仓山万达', '上渡', '建新', '盖山', '城门', '螺洲', '对湖', '三叉街', '桔园洲'],
    },
    {
      // Minhou / University Town, west.
      districtZh: '闽侯',
      ring: rect(26.032, 119.172, 26.078, 119.214),
      weight: 1.2,
      places: ['大学城', '上街', '南屿', '甘蔗'],
    },
  ],
  corridors: [
    // 五四路 - 八一七路, the north-south axis.
    [[26.108, 119.3], [26.095, 119.302], [26.0857, 119.2985], [26.072, 119.298], [26.06, 119.3]],
    // 杨桥路 - 东街 - 福马路.
    [[26.086, 119.255], [26.085, 119.275], [26.0857, 119.2985], [26.087, 119.32], [26.084, 119.345], [26.078, 119.37]],
    // 江滨大道, north bank.
    [[26.07, 119.265], [26.06, 119.29], [26.059, 119.32], [26.061, 119.35]],
    // 二环路 north.
    [[26.11, 119.265], [26.114, 119.3], [26.105, 119.335]],
    // 浦上大道 and 首山路 in Cangshan.
    [[26.03, 119.265], [26.035, 119.29], [26.03, 119.32]],
    [[26.035, 119.298], [26.01, 119.305]],
    // University Town.
    [[26.04, 119.185], [26.072, 119.2]],
  ],
};

const XIAMEN: CitySpec = {
  key: 'xiamen',
  name: 'Xiamen',
  nameZh: '厦门',
  tz: DEMO_TZ,
  centerLat: 24.4798,
  centerLng: 118.0894,
  code: 'XM',
  firstStore: [24.4796, 118.1225],
  firstStorePlace: '莲坂',
  land: [
    {
      // Xiamen Island (Siming, Huli), with Yundang Lake cut out.
      districtZh: '思明',
      ring: [
        [24.448, 118.082],
        [24.47, 118.08],
        [24.5, 118.083],
        [24.525, 118.092],
        [24.545, 118.11],
        [24.548, 118.145],
        [24.535, 118.175],
        [24.51, 118.188],
        [24.48, 118.19],
        [24.455, 118.175],
        [24.44, 118.15],
        [24.438, 118.115],
        [24.442, 118.095],
      ],
      holes: [
        [
          [24.477, 118.086],
          [24.489, 118.084],
          [24.493, 118.105],
          [24.486, 118.118],
          [24.478, 118.11],
        ],
      ],
      weight: 6,
      places: ['莲坂', '中山路', '湖滨', '莲前', '瑞景', '前埔', '观音山', '软件园', '殿前', '江头', '五缘湾', '湖里', '金山', '吕厝', '火车站', '筼筜', '何厝', '枋湖', '禾山', '厦大'],
    },
    {
      districtZh: '集美',
      ring: [
        [24.575, 118.05],
        [24.61, 118.06],
        [24.615, 118.115],
        [24.587, 118.125],
        [24.572, 118.095],
      ],
      weight: 2,
      places: ['集美学村', '杏林', '灌口', '集美新城', '侨英'],
    },
    {
      districtZh: '海沧',
      ring: [
        [24.455, 117.99],
        [24.5, 117.993],
        [24.505, 118.038],
        [24.47, 118.048],
        [24.452, 118.03],
      ],
      weight: 1.5,
      places: ['海沧湾', '新阳', '嵩屿', '东孚'],
    },
  ],
  corridors: [
    // 厦禾路 - 湖滨南路.
    [[24.462, 118.09], [24.47, 118.105], [24.4755, 118.124]],
    // 莲前大道.
    [[24.4796, 118.1225], [24.482, 118.15], [24.486, 118.175]],
    // 成功大道 (north-south through the island).
    [[24.54, 118.12], [24.515, 118.118], [24.497, 118.122], [24.4796, 118.1225], [24.462, 118.128]],
    // 仙岳路.
    [[24.505, 118.09], [24.507, 118.12], [24.505, 118.16], [24.5, 118.18]],
    // 环岛路, south and east coast.
    [[24.443, 118.11], [24.447, 118.14], [24.46, 118.168], [24.48, 118.183]],
    // 集美大道 and 海沧大道.
    [[24.58, 118.06], [24.595, 118.09], [24.6, 118.11]],
    [[24.46, 118.033], [24.485, 118.038], [24.498, 118.03]],
  ],
};

/** A smaller city drawn as one urban rectangle with a cross of arterials through the centre. */
function plainCity(spec: {
  key: string;
  name: string;
  nameZh: string;
  code: string;
  center: LatLng;
  halfLat: number;
  halfLng: number;
  districtZh: string;
  places: string[];
}): CitySpec {
  const [lat, lng] = spec.center;
  const { halfLat: h, halfLng: w } = spec;
  return {
    key: spec.key,
    name: spec.name,
    nameZh: spec.nameZh,
    tz: DEMO_TZ,
    centerLat: lat,
    centerLng: lng,
    code: spec.code,
    firstStore: [lat + 0.002, lng + 0.003],
    firstStorePlace: spec.places[0]!,
    land: [{ districtZh: spec.districtZh, ring: rect(lat - h, lng - w, lat + h, lng + w), weight: 1, places: spec.places }],
    corridors: [
      [[lat - 0.8 * h, lng - 0.1 * w], [lat, lng], [lat + 0.8 * h, lng + 0.1 * w]],
      [[lat + 0.1 * h, lng - 0.8 * w], [lat, lng], [lat - 0.1 * h, lng + 0.8 * w]],
      [[lat + 0.5 * h, lng - 0.6 * w], [lat + 0.5 * h, lng + 0.6 * w]],
    ],
  };
}

const QUANZHOU = plainCity({
  key: 'quanzhou',
  name: 'Quanzhou',
  nameZh: '泉州',
  code: 'QZ',
  center: [24.908, 118.586],
  halfLat: 0.035,
  halfLng: 0.045,
  districtZh: '鲤城',
  places: ['中山路', '西街', '丰泽', '浦西', '东街', '刺桐', '田安', '北峰', '江南', '清源'],
});

const ZHANGZHOU = plainCity({
  key: 'zhangzhou',
  name: 'Zhangzhou',
  nameZh: '漳州',
  code: 'ZZ',
  center: [24.513, 117.647],
  halfLat: 0.03,
  halfLng: 0.04,
  districtZh: '芗城',
  places: ['新华', '胜利', '延安', '瑞京', '大通北', '浦头', '碧湖'],
});

const PUTIAN = plainCity({
  key: 'putian',
  name: 'Putian',
  nameZh: '莆田',
  code: 'PT',
  center: [25.431, 119.008],
  halfLat: 0.03,
  halfLng: 0.04,
  districtZh: '城厢',
  places: ['荔城', '凤凰山', '万达', '东圳', '拱辰', '龙桥', '镇海'],
});

/** Cities in store-code order; the first two are always seeded. */
export const CITY_SPECS: readonly CitySpec[] = [FUZHOU, XIAMEN, QUANZHOU, ZHANGZHOU, PUTIAN];

/** True when the point is inside one of the city's land zones (and not in a lake). */
export function isOnLand(city: CitySpec, lat: number, lng: number): boolean {
  return city.land.some((z) => isInRing(lat, lng, z.ring) && !(z.holes ?? []).some((h) => isInRing(lat, lng, h)));
}

/** Bounding box of the city's land zones: every demo incident of the city lies inside it. */
export function cityBounds(city: CitySpec): Bounds {
  return boundsOf(city.land.flatMap((z) => z.ring));
}
