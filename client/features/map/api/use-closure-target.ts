import { useQuery } from '@tanstack/react-query';
import { trpc } from '../../../lib/trpc.js';

/**
 * The closure-rate target of the settings (a fraction), which the share-closed classes end at.
 * Saving the settings invalidates every stats query, this one included (use-admin-settings.ts).
 */
export function useClosureTarget() {
  return useQuery(trpc.stats.closureTarget.queryOptions());
}
