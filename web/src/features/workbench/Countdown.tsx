/** A red/amber/green countdown to a deadline, re-rendered by the page's ticking clock. */
import { formatRemaining, TONE_LABELS, toneAt } from './countdown';

export function Countdown({ deadlineAt, status, now }: { deadlineAt: string | null; status: string | null | undefined; now: number }) {
  const tone = toneAt(deadlineAt, status, now);
  if (!deadlineAt) return <span className="wb-countdown wb-tone-none">无时限</span>;
  return (
    <span className={`wb-countdown wb-tone-${tone}`} title={`${TONE_LABELS[tone]}，时限 ${new Date(deadlineAt).toLocaleString('zh-CN')}`} data-tone={tone}>
      {formatRemaining(Date.parse(deadlineAt) - now)}
    </span>
  );
}
