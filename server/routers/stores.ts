import type { StoreRecord } from '../store/types.js';
import { authedProcedure, router } from '../trpc.js';

export interface StoreDto {
  id: number;
  code: string;
  name: string;
  cityId: number;
  city: string;
  lat: number;
  lng: number;
  radiusM: number;
}

export function toStoreDto(s: StoreRecord): StoreDto {
  return { id: s.id, code: s.code, name: s.name, cityId: s.cityId, city: s.cityName, lat: s.lat, lng: s.lng, radiusM: s.radiusM };
}

export const storesRouter = router({
  /** The stores the signed-in user may see. */
  list: authedProcedure.query(async ({ ctx }): Promise<StoreDto[]> => (await ctx.store.listStores(ctx.scope)).map(toStoreDto)),
});
