import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { trpc } from '../../../lib/trpc.js';
import type { RouterInputs, RouterOutputs } from '../../../lib/trpc.js';

export type CountermeasureLayerItem = RouterOutputs['countermeasures']['layer'][number];
export type Evaluation = RouterOutputs['countermeasures']['evaluate'];
export type CreateInput = RouterInputs['countermeasures']['create'];
export type Verdict = Evaluation['verdict'];

/** The caller's countermeasures with their verdicts, for the map layer and the cell panel. */
export function useCountermeasureLayer(enabled = true) {
  return useQuery({ ...trpc.countermeasures.layer.queryOptions({ limit: 100 }), staleTime: 60_000, enabled });
}

/** One countermeasure with its before/after evaluation. */
export function useEvaluation(id: number) {
  return useQuery(trpc.countermeasures.evaluate.queryOptions({ id }));
}

/** The stores the user may pick for a new countermeasure. */
export function usePickableStores() {
  return useQuery({ ...trpc.stores.list.queryOptions(), staleTime: 5 * 60_000 });
}

/** Creates a countermeasure; the layer and lists refresh afterwards. */
export function useCreateCountermeasure() {
  const client = useQueryClient();
  return useMutation({
    ...trpc.countermeasures.create.mutationOptions(),
    onSuccess: () => client.invalidateQueries({ queryKey: trpc.countermeasures.pathKey() }),
  });
}
