/** The cities stores are in, by name (the API has no city list of its own: a new store goes into a known city). */
export function citiesOf(stores: ReadonlyArray<{ cityId: number; city: string }>): Array<{ id: number; name: string }> {
  const byId = new Map<number, string>();
  for (const s of stores) byId.set(s.cityId, s.city);
  return [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
}
