import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { trpc } from '../../../lib/trpc.js';
import type { RouterInputs, RouterOutputs } from '../../../lib/trpc.js';

export type IncidentDetail = RouterOutputs['incidents']['byId'];
export type TransitionInput = RouterInputs['incidents']['transition'];

/** One incident with its timeline, SLA state and the actions the signed-in user may take. */
export function useIncident(id: number | null) {
  return useQuery({ ...trpc.incidents.byId.queryOptions({ id: id ?? 1 }), enabled: id !== null });
}

/**
 * After a workflow change every view of incidents may be stale: this incident, the lists, the
 * hexagons' open/closed counts, the KPIs and the work lists. Those keys belong to other hooks
 * (and features), so everything but the session is invalidated; only active queries refetch.
 */
function useInvalidateIncidentViews() {
  const queryClient = useQueryClient();
  const meKey = JSON.stringify(trpc.auth.me.queryKey()[0]);
  return () => queryClient.invalidateQueries({ predicate: (q) => JSON.stringify(q.queryKey[0]) !== meKey });
}

export function useTransition() {
  const invalidate = useInvalidateIncidentViews();
  return useMutation(trpc.incidents.transition.mutationOptions({ onSettled: invalidate }));
}

export function useComment() {
  const invalidate = useInvalidateIncidentViews();
  return useMutation(trpc.incidents.comment.mutationOptions({ onSettled: invalidate }));
}

export function useReview() {
  const invalidate = useInvalidateIncidentViews();
  return useMutation(trpc.incidents.review.mutationOptions({ onSettled: invalidate }));
}

/** The work list's close: assigns and starts on the way when needed (incidents.close). */
export function useCloseIncident() {
  const invalidate = useInvalidateIncidentViews();
  return useMutation(trpc.incidents.close.mutationOptions({ onSettled: invalidate }));
}
