import { useQuery } from '@tanstack/react-query';
import { trpc } from '../../../lib/trpc.js';
import type { RouterOutputs } from '../../../lib/trpc.js';

export type MyWork = RouterOutputs['incidents']['myWork'];

/**
 * The caller's open, overdue and due-soon incidents and the review queue (working roles only).
 * 200 items (the server's most): today's list needs every overdue and due-today item to sort
 * them by severity, and a busy store has about 50 overdue.
 */
export function useMyWork(enabled: boolean) {
  return useQuery({ ...trpc.incidents.myWork.queryOptions({ limit: 200 }), enabled });
}
