/**
 * 15分钟圈后台计算: the server keeps every centre's walking circles computed in the
 * background (server/coverage/isochroneJob.ts); admins see how far it has got, polled
 * every 3 s while it runs, and any failure.
 */
import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../api/client';

const STATE_NAMES = { off: '未运行（本进程没有后台任务）', idle: '已完成', running: '计算中', failed: '部分失败（稍后自动重试）' } as const;

export function CircleJobStatus() {
  const status = useQuery({
    queryKey: ['coverage', 'isochrone-job'],
    queryFn: () => call(api.api.coverage.isochrones.status.$get()),
    refetchInterval: (query) => (query.state.data?.state === 'running' || (query.state.data && query.state.data.ready < query.state.data.total) ? 3000 : 30_000),
  });
  const s = status.data;
  const share = s && s.total > 0 ? s.ready / s.total : null;
  return (
    <section className="admin-section" aria-labelledby="circles-title" data-testid="circle-job">
      <h2 id="circles-title">15分钟圈后台计算</h2>
      {!s ? (
        <p className="muted">{status.isError ? '进度读取失败' : '正在读取…'}</p>
      ) : (
        <>
          <p>
            状态：<strong data-testid="circle-job-state">{STATE_NAMES[s.state]}</strong>　已计算 <strong data-testid="circle-job-progress">{s.ready}</strong> / {s.total} 个步行圈（{s.minutes.join('、')} 分钟，步速{' '}
            {s.speedMPerMin.toFixed(1)} 米/分钟，路网版本 {s.networkVersion}）
          </p>
          <progress className="admin-progress" max={1} value={share ?? 0} aria-label="步行圈计算进度" />
          <p className="muted">
            {s.startedAt && `本轮开始于 ${new Date(s.startedAt).toLocaleString('zh-CN', { hour12: false })}`}
            {s.finishedAt && `，结束于 ${new Date(s.finishedAt).toLocaleString('zh-CN', { hour12: false })}`}
            {s.longestStepMs > 0 && `；单步最长 ${s.longestStepMs} 毫秒`}
          </p>
          {s.error && (
            <p className="error-message" role="alert">
              {s.error}
            </p>
          )}
        </>
      )}
    </section>
  );
}
