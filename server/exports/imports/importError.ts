/**
 * Why an import request cannot be done. Both are DomainErrors thrown from the
 * import modules; app.onError turns them into problem details, so the route
 * only returns the report of a dry run or a commit.
 */
import { DomainError } from '../../http/domainError';
import type { FieldError } from '../../http/problem';
import type { ImportReport } from './report';

/** A client error in the upload (unreadable file, unknown CRS, bad parameters …): 4xx, nothing is written. */
export class ImportError extends DomainError {
  constructor(
    status: 400 | 403 | 413 | 415 | 422,
    title: string,
    detail: string,
    readonly errors: FieldError[] = [{ field: 'file', reason: detail }],
  ) {
    super(status, title, detail, { errors });
  }
}

/** 422: the file was read but has errors; the problem carries the full report, nothing is written. */
export class ImportRejected extends DomainError {
  constructor(readonly report: ImportReport) {
    super(422, '导入文件有错误', `${report.errors} 个错误，未写入任何数据`, { report });
  }
}
