import { useQuery } from '@tanstack/react-query';
import { syncServerNow } from '../../../lib/clock.js';
import { trpc } from '../../../lib/trpc.js';

/**
 * The deployment's configuration (`config.client`): it does not change while the page is open.
 * Its `now` sets the browser's clock to the server's (client/lib/clock.ts).
 */
export function useClientConfig() {
  const query = useQuery({ ...trpc.config.client.queryOptions(), staleTime: Infinity });
  // idempotent: the same answer and its arrival time give the same offset on every render
  if (query.data) syncServerNow(query.data.now, query.dataUpdatedAt);
  return query;
}
