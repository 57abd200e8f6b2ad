/**
 * Admins: accounts (create, role and jurisdiction, password reset, 强制下线 = sign-out
 * everywhere, delete), the progress of the background walking-circle job and the
 * audit trail of every write, with CSV download. The server enforces all of it.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ApiError, call } from '../../api/client';
import { can, useSession, type Role } from '../auth/session';
import { CircleJobStatus } from './CircleJobStatus';

const ROLE_NAMES: Record<Role, string> = { leader: '领导', planner: '网格规划员', analyst: '分析员', admin: '管理员', grid_worker: '网格员', dispatcher: '受理员/指挥员', dept_staff: '处置人员' };

// TODO(contract): the audit route types `detail` as unknown JSON; a typed detail ({ status, query, role }) from server/audit would make this guard unnecessary.
const statusOf = (detail: unknown) => (detail !== null && typeof detail === 'object' && 'status' in detail && typeof detail.status === 'number' ? detail.status : null);

const message = (e: unknown) => (e instanceof ApiError ? e.problem.errors?.map((x) => x.reason).join('；') || e.message : String(e));

export function AdminPage() {
  const user = useSession();
  if (!can.administer(user)) {
    return (
      <main className="admin-page">
        <p role="alert">只有管理员可以访问此页面。</p>
        <a href="/">返回地图</a>
      </main>
    );
  }
  return (
    <main className="admin-page">
      <header className="admin-header">
        <h1>系统管理</h1>
        <a href="/">返回地图</a>
      </header>
      <Users />
      <CircleJobStatus />
      <Audit />
    </main>
  );
}

/** Which binding each role carries (the server validates and keeps only that one). */
const BINDING: Record<Role, 'jurisdiction' | 'grids' | 'department' | null> = {
  planner: 'jurisdiction',
  dispatcher: 'jurisdiction',
  grid_worker: 'grids',
  dept_staff: 'department',
  leader: null,
  analyst: null,
  admin: null,
};

function bindingText(u: { role: Role; jurisdictionCode: string | null; gridCodes: string[]; departmentId: number | null }, departments: { id: number; name: string }[]): string {
  switch (BINDING[u.role]) {
    case 'jurisdiction':
      return u.jurisdictionCode ?? '—';
    case 'grids':
      return u.gridCodes.length > 0 ? u.gridCodes.join('、') : '—';
    case 'department':
      return departments.find((d) => d.id === u.departmentId)?.name ?? (u.departmentId === null ? '—' : `单位 ${u.departmentId}`);
    default:
      return '—';
  }
}

function Users() {
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: ['users'], queryFn: async () => (await call(api.api.users.$get())).users });
  const [form, setForm] = useState({ username: '', displayName: '', role: 'planner' as Role, jurisdictionCode: '', gridCodes: '', departmentId: '', password: '' });
  const departments = useQuery({ queryKey: ['departments'], queryFn: async () => (await call(api.api.departments.$get())).departments });
  const [feedback, setFeedback] = useState<string | null>(null);
  // The audit log below shows each write too.
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: ['users'] }), queryClient.invalidateQueries({ queryKey: ['audit'] })]);
  const create = useMutation({
    mutationFn: () =>
      call(
        api.api.users.$post({
          json: {
            username: form.username,
            displayName: form.displayName,
            role: form.role,
            password: form.password,
            // Only the binding of the chosen role travels (the server keeps only that one too).
            jurisdictionCode: BINDING[form.role] === 'jurisdiction' ? form.jurisdictionCode : null,
            ...(BINDING[form.role] === 'grids' ? { gridCodes: form.gridCodes.split(/[,，\s]+/).filter(Boolean) } : {}),
            ...(BINDING[form.role] === 'department' ? { departmentId: form.departmentId ? Number(form.departmentId) : null } : {}),
          },
        }),
      ),
    onSuccess: () => {
      setFeedback(`已创建账号 ${form.username}`);
      setForm({ ...form, username: '', displayName: '', password: '' });
      void refresh();
    },
    onError: (e) => setFeedback(message(e)),
  });
  const update = useMutation({
    mutationFn: (change: { id: number; role?: Role; jurisdictionCode?: string | null; password?: string }) =>
      call(api.api.users[':id'].$patch({ param: { id: String(change.id) }, json: { role: change.role, jurisdictionCode: change.jurisdictionCode, password: change.password } })),
    onSuccess: (result) => {
      setFeedback(result.revokedSessions > 0 ? `已保存，该账号的 ${result.revokedSessions} 个会话已失效` : '已保存');
      void refresh();
    },
    onError: (e) => setFeedback(message(e)),
  });
  const signOut = useMutation({
    mutationFn: (u: { id: number; username: string }) => call(api.api.users[':id'].sessions.revoke.$post({ param: { id: String(u.id) } })),
    onSuccess: (result, u) => {
      setFeedback(result.revoked > 0 ? `已使 ${u.username} 的 ${result.revoked} 个会话失效，须重新登录` : `${u.username} 当前没有登录中的会话`);
      void refresh();
    },
    onError: (e) => setFeedback(message(e)),
  });
  const remove = useMutation({
    mutationFn: (id: number) => call(api.api.users[':id'].$delete({ param: { id: String(id) } })),
    onSuccess: () => void refresh(),
    onError: (e) => setFeedback(message(e)),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };

  return (
    <section className="admin-section" aria-labelledby="users-title">
      <h2 id="users-title">账号</h2>
      <form className="admin-form" onSubmit={submit}>
        <input placeholder="用户名" value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} required />
        <input placeholder="姓名" value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} required />
        <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })} aria-label="角色">
          {(Object.keys(ROLE_NAMES) as Role[]).map((r) => (
            <option key={r} value={r}>
              {ROLE_NAMES[r]}
            </option>
          ))}
        </select>
        {BINDING[form.role] === 'jurisdiction' && (
          <input
            placeholder={form.role === 'dispatcher' ? '指挥中心辖区（9 位街道或 12 位社区）' : '辖区代码（9 位街道或 12 位社区）'}
            aria-label="辖区代码"
            value={form.jurisdictionCode}
            onChange={(e) => setForm({ ...form, jurisdictionCode: e.target.value.trim() })}
          />
        )}
        {BINDING[form.role] === 'grids' && <input placeholder="所属网格（15 位网格编码，逗号分隔）" aria-label="所属网格" value={form.gridCodes} onChange={(e) => setForm({ ...form, gridCodes: e.target.value })} />}
        {BINDING[form.role] === 'department' && (
          <select value={form.departmentId} onChange={(e) => setForm({ ...form, departmentId: e.target.value })} aria-label="所属责任单位">
            <option value="">选择责任单位</option>
            {departments.data
              ?.filter((d) => d.active)
              .map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}（{d.code}）
                </option>
              ))}
          </select>
        )}
        <input type="password" placeholder="初始密码（至少 10 个字符）" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} required />
        <button type="submit" disabled={create.isPending}>
          创建账号
        </button>
      </form>
      {feedback && (
        <p className="admin-feedback" role="status" data-testid="admin-feedback">
          {feedback}
        </p>
      )}
      {users.error && <p role="alert">{message(users.error)}</p>}
      <table className="admin-table">
        <thead>
          <tr>
            <th>用户名</th>
            <th>姓名</th>
            <th>角色</th>
            <th>辖区/绑定</th>
            <th>创建时间</th>
            <th>在线会话</th>
            <th>操作</th>
          </tr>
        </thead>
        <tbody>
          {users.data?.map((u) => (
            <tr key={u.id}>
              <td>{u.username}</td>
              <td>{u.displayName}</td>
              <td>
                <select value={u.role} aria-label={`${u.username} 的角色`} onChange={(e) => update.mutate({ id: u.id, role: e.target.value as Role, jurisdictionCode: u.jurisdictionCode })}>
                  {(Object.keys(ROLE_NAMES) as Role[]).map((r) => (
                    <option key={r} value={r}>
                      {ROLE_NAMES[r]}
                    </option>
                  ))}
                </select>
              </td>
              <td>{bindingText(u, departments.data ?? [])}</td>
              <td>{new Date(u.createdAt).toLocaleString('zh-CN')}</td>
              <td data-testid={`sessions-${u.username}`} title={u.lastSeenAt ? `最近活动：${new Date(u.lastSeenAt).toLocaleString('zh-CN')}` : undefined}>
                {u.activeSessions}
              </td>
              <td>
                <button
                  type="button"
                  onClick={() => {
                    const password = window.prompt(`为 ${u.username} 设置新密码（至少 10 个字符）`);
                    if (password) update.mutate({ id: u.id, password });
                  }}
                >
                  重置密码
                </button>
                <button
                  type="button"
                  disabled={u.activeSessions === 0 || signOut.isPending}
                  title="结束此账号在所有设备上的登录"
                  onClick={() => window.confirm(`确定让 ${u.username} 在所有设备上退出登录？`) && signOut.mutate(u)}
                >
                  强制下线
                </button>
                <button type="button" onClick={() => window.confirm(`确定删除账号 ${u.username}？`) && remove.mutate(u.id)}>
                  删除
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Audit() {
  const [actor, setActor] = useState('');
  const [entity, setEntity] = useState('');
  const query = { ...(actor ? { actor } : {}), ...(entity ? { entity } : {}), limit: '200' };
  const audit = useQuery({
    queryKey: ['audit', query],
    queryFn: async () => (await call(api.api.audit.$get({ query }))).entries,
  });
  const csv = `/api/audit?${new URLSearchParams({ ...query, format: 'csv', limit: '10000' }).toString()}`;
  return (
    <section className="admin-section" aria-labelledby="audit-title">
      <h2 id="audit-title">审计日志</h2>
      <div className="admin-form">
        <input placeholder="操作人" value={actor} onChange={(e) => setActor(e.target.value.trim())} aria-label="按操作人筛选" />
        <input placeholder="对象（如 grids、users）" value={entity} onChange={(e) => setEntity(e.target.value.trim().toLowerCase())} aria-label="按对象筛选" />
        <a className="text-button" href={csv} download="audit-log.csv">
          下载 CSV
        </a>
      </div>
      {audit.error && <p role="alert">{message(audit.error)}</p>}
      <table className="admin-table" data-testid="audit-table">
        <thead>
          <tr>
            <th>时间</th>
            <th>操作人</th>
            <th>操作</th>
            <th>对象</th>
            <th>来源地址</th>
            <th>结果</th>
          </tr>
        </thead>
        <tbody>
          {audit.data?.map((e) => (
            <tr key={e.id}>
              <td>{new Date(e.at).toLocaleString('zh-CN')}</td>
              <td>{e.actor}</td>
              <td>{e.action}</td>
              <td>
                {e.entity}
                {e.entityId ? ` / ${e.entityId}` : ''}
              </td>
              <td>{e.ip ?? '—'}</td>
              <td>{statusOf(e.detail) ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
