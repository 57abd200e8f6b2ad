/**
 * The one base for errors a domain module throws to say "this request cannot be
 * done" (refused, conflicting, not found, invalid). Routes do not catch them:
 * `app.onError` turns every DomainError into RFC 9457 problem details, so a
 * handler only returns its success body with c.json(...) and its type reaches
 * the web client (hc<AppType>) unerased.
 */
import type { ClientErrorStatusCode, ServerErrorStatusCode } from 'hono/utils/http-status';
import type { Problem } from './problem';

export class DomainError extends Error {
  constructor(
    /** HTTP status of the problem: 4xx, or 5xx for a failure the domain names itself (e.g. an import whose write failed). */
    readonly status: ClientErrorStatusCode | ServerErrorStatusCode,
    /** Chinese title, e.g. 保存被拒绝. */
    readonly title: string,
    /** Chinese detail shown to the user. */
    message: string,
    /** Extension members of the problem (violations, current version, errors …). */
    readonly extra: Partial<Problem> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(detail: string, extra: Partial<Problem> = {}) {
    super(404, '未找到', detail, extra);
  }
}

export class ForbiddenError extends DomainError {
  constructor(detail: string, extra: Partial<Problem> = {}) {
    super(403, '无权限', detail, extra);
  }
}
