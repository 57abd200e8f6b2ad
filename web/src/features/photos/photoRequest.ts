/**
 * The photos API from the web: the list through the typed client (call()), the
 * upload with XMLHttpRequest — fetch cannot report upload progress, and 9 photos on
 * a field connection take a while — typed by the route's own answer. The server
 * answers 201 with the stored photos or problem details naming each refused file.
 */
import { queryOptions, useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { type Answer, ApiError, type ApiProblem, api, call } from '../../api/client';

type PhotosRoute = (typeof api.api.incidents)[':id']['photos'];
/** One photo as the server lists it (id, transitionId, url, thumbUrl, takenAt, lon, lat, …). */
export type IncidentPhoto = Answer<PhotosRoute['$get']>['photos'][number];
export type UploadAnswer = Answer<PhotosRoute['$post']>;

export const photosKey = (incidentId: number) => ['incident', incidentId, 'photos'] as const;

export const photosQuery = (incidentId: number) =>
  queryOptions({
    queryKey: photosKey(incidentId),
    queryFn: () => call(api.api.incidents[':id'].photos.$get({ param: { id: String(incidentId) } })),
    staleTime: 30_000,
  });

export interface UploadOptions {
  /** The step (history row) the photos document; omitted: the report. */
  transitionId?: number;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/** Uploads 1–9 files for one step; rejects with ApiError carrying the server's problem details. */
export function uploadPhotos(incidentId: number, files: readonly File[], options: UploadOptions = {}): Promise<UploadAnswer> {
  const url = api.api.incidents[':id'].photos.$url({ param: { id: String(incidentId) } });
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url.pathname);
    xhr.responseType = 'text';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) options.onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status === 201 && body) resolve(body as UploadAnswer);
      else {
        const p = (body ?? {}) as Partial<ApiProblem>;
        reject(new ApiError({ ...p, title: p.title ?? `上传失败（${xhr.status}）`, status: xhr.status, detail: p.detail, errors: p.errors }));
      }
    };
    xhr.onerror = () => reject(new ApiError({ title: '网络错误', status: 0, detail: '照片未上传，请检查网络后重试' }));
    xhr.onabort = () => reject(new ApiError({ title: '已取消', status: 0, detail: '照片上传已取消' }));
    options.signal?.addEventListener('abort', () => xhr.abort());
    const form = new FormData();
    for (const file of files) form.append('files', file, file.name);
    if (options.transitionId !== undefined) form.append('transitionId', String(options.transitionId));
    xhr.send(form);
  });
}

/** Upload state for a form: progress 0–1 while sending, the refusal if any; refreshes the incident's photo list. */
export function usePhotoUpload() {
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const abort = useRef<AbortController | null>(null);
  const upload = useCallback(
    async (incidentId: number, files: readonly File[], transitionId?: number): Promise<UploadAnswer['photos']> => {
      if (files.length === 0) return [];
      const controller = new AbortController();
      abort.current = controller;
      setError(null);
      setProgress(0);
      try {
        const answer = await uploadPhotos(incidentId, files, { transitionId, onProgress: setProgress, signal: controller.signal });
        await queryClient.invalidateQueries({ queryKey: photosKey(incidentId) });
        return answer.photos;
      } catch (e) {
        setError(e instanceof ApiError ? e : new ApiError({ title: '上传失败', status: 0, detail: String(e) }));
        throw e;
      } finally {
        setProgress(null);
        abort.current = null;
      }
    },
    [queryClient],
  );
  const cancel = useCallback(() => abort.current?.abort(), []);
  return { upload, cancel, progress, error };
}
