/** The party-service modules' refusals: Chinese problem details with the field and reason. */
import { DomainError } from '../http/domainError';

export class PartyServiceProblem extends DomainError {
  constructor(status: 403 | 404 | 409 | 422, field: string, reason: string) {
    const title = status === 403 ? '无权限' : status === 404 ? '未找到' : status === 409 ? '状态已变化' : '信息无效';
    super(status, title, reason, { errors: [{ field, reason }] });
  }
}
