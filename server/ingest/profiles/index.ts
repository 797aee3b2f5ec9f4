import type { Profile } from '../profile.js';
import { deliveriesProfile } from './deliveries.js';
import { hexwatchProfile } from './hexwatch.js';
import { hkTdProfile } from './hk-td.js';
import { storesProfile } from './stores.js';

export const PROFILES: Readonly<Record<string, Profile>> = {
  hexwatch: hexwatchProfile,
  'hk-td': hkTdProfile,
  stores: storesProfile,
  deliveries: deliveriesProfile,
};

export function profileByName(name: string): Profile | undefined {
  return Object.hasOwn(PROFILES, name) ? PROFILES[name] : undefined;
}
