import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { trpc } from '../../../lib/trpc.js';
import type { RouterOutputs } from '../../../lib/trpc.js';

export type ImportProfile = RouterOutputs['admin']['imports']['profiles'][number];
export type ImportJob = RouterOutputs['admin']['imports']['status'];

/** The import profiles the server knows (a profile added later shows up without a client change). */
export function useImportProfiles() {
  return useQuery(trpc.admin.imports.profiles.queryOptions(undefined, { staleTime: Infinity }));
}

/** The browser import running now, if any: a page opened mid-import follows it. */
export function useCurrentImport() {
  return useQuery(trpc.admin.imports.current.queryOptions(undefined, { staleTime: 0 }));
}

/** Polls one import every half second while it runs; when it ends, the app's data is refetched. */
export function useImportStatus(id: string | null) {
  const queryClient = useQueryClient();
  const query = useQuery({
    ...trpc.admin.imports.status.queryOptions({ id: id ?? '' }, { staleTime: 0 }),
    enabled: id !== null,
    refetchInterval: (q) => (q.state.data && q.state.data.state !== 'running' ? false : 500),
  });
  const state = query.data?.state;
  const refreshed = useRef<string | null>(null);
  useEffect(() => {
    if (state === 'done' && id && refreshed.current !== id) {
      refreshed.current = id;
      // new incidents or stores: the map, lists and stats of the open app show them
      void queryClient.invalidateQueries({ predicate: (q) => !JSON.stringify(q.queryKey).includes('imports') });
    }
  }, [state, id, queryClient]);
  return query;
}

export function useCancelImport() {
  const queryClient = useQueryClient();
  return useMutation(
    trpc.admin.imports.cancel.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.admin.imports.status.pathKey() }),
    }),
  );
}

export interface UploadRequest {
  file: File;
  profile: string;
  coords: string;
  strict: boolean;
  assignNearest: boolean;
}

export class UploadError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Sends the file as the raw body to POST /api/admin/imports (server/api/import-upload.ts) and
 * resolves with the started job. XMLHttpRequest rather than fetch: it reports upload progress.
 */
export function uploadImport(request: UploadRequest, onUploaded: (fraction: number) => void, signal: AbortSignal): Promise<ImportJob> {
  const params = new URLSearchParams({ profile: request.profile, coords: request.coords, name: request.file.name, strict: request.strict ? '1' : '0' });
  if (request.assignNearest) params.set('assign', 'nearest');
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/admin/imports?${params}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onUploaded(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: { job?: ImportJob; error?: string } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        // not JSON: a proxy's page
      }
      if (xhr.status === 202 && body.job) resolve(body.job);
      else reject(new UploadError(xhr.status, body.error ?? `HTTP ${xhr.status}`));
    };
    xhr.onerror = () => reject(new UploadError(0, 'network error'));
    xhr.onabort = () => reject(new UploadError(0, 'cancelled'));
    signal.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(request.file);
  });
}
