import type { FieldError } from '../../http/problem';

/** A client error in an uploaded file: becomes a 4xx problem response, nothing is written. */
export class ImportError extends Error {
  constructor(
    readonly status: 400 | 403 | 413 | 415 | 422,
    readonly title: string,
    detail: string,
    readonly errors: FieldError[] = [{ field: 'file', reason: detail }],
  ) {
    super(detail);
  }
}
