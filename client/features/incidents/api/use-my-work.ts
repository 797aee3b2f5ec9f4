import { useQuery } from '@tanstack/react-query';
import { trpc } from '../../../lib/trpc.js';
import type { RouterOutputs } from '../../../lib/trpc.js';

export type MyWork = RouterOutputs['incidents']['myWork'];

/** The caller's open, overdue and due-soon incidents and the review queue (working roles only). */
export function useMyWork(enabled: boolean) {
  return useQuery({ ...trpc.incidents.myWork.queryOptions({ limit: 50 }), enabled });
}
