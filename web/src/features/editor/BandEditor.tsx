/**
 * Why: the target band of households per grid differs between communities (an old town's
 * grids are denser than a new estate's), so its planner sets it here; the dry-run impact, the
 * grid summary and 均衡 read it from the server (server/buildings/bands.ts).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { DEFAULT_HOUSEHOLD_BAND } from '../../../../kernel/householdBand';
import { errorMessage } from '../../api/queries';
import { bandQuery, saveBand } from './editorQueries';
import { formatTime } from './format';

export interface BandEditorProps {
  communityCode: string;
  communityName: string;
  /** After the band changed (the suggestion and the highlights depend on it). */
  onChanged: () => void;
}

export function BandEditor({ communityCode, communityName, onChanged }: BandEditorProps) {
  const queryClient = useQueryClient();
  const band = useQuery(bandQuery(communityCode));
  const [min, setMin] = useState('');
  const [max, setMax] = useState('');
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);

  useEffect(() => {
    if (band.data) {
      setMin(String(band.data.min));
      setMax(String(band.data.max));
    }
  }, [band.data]);

  const write = async (next: { min: number; max: number } | null) => {
    setSaving(true);
    setMessage(null);
    try {
      const saved = await saveBand(communityCode, next);
      queryClient.setQueryData(bandQuery(communityCode).queryKey, saved);
      setMessage({ error: false, text: next ? `已保存：${saved.min}–${saved.max} 户` : `已恢复默认：${saved.min}–${saved.max} 户` });
      onChanged();
    } catch (e) {
      setMessage({ error: true, text: errorMessage(e) });
    } finally {
      setSaving(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const lo = Number(min);
    const hi = Number(max);
    if (min.trim() === '' || max.trim() === '' || !Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi < 0) return setMessage({ error: true, text: '户数应为不小于 0 的整数' });
    if (hi < lo) return setMessage({ error: true, text: '上限应不小于下限' });
    void write({ min: lo, max: hi });
  };

  if (band.isPending) return <p className="muted">正在加载户数目标区间…</p>;
  if (band.isError) return <p className="error-message">{errorMessage(band.error)}</p>;
  return (
    <form className="editor-band" data-testid="band-editor" onSubmit={submit}>
      <p className="muted editor-hint">
        {communityName}每个网格的户数目标区间
        {band.data.configured ? `（${band.data.updatedBy ?? ''} ${band.data.updatedAt ? formatTime(band.data.updatedAt) : ''} 设置）` : `（默认 ${DEFAULT_HOUSEHOLD_BAND.min}–${DEFAULT_HOUSEHOLD_BAND.max} 户）`}
      </p>
      <div className="editor-band-inputs">
        <label>
          下限
          <input type="number" min={0} step={1} inputMode="numeric" value={min} onChange={(e) => setMin(e.target.value)} aria-label="户数下限" />
        </label>
        <span aria-hidden="true">–</span>
        <label>
          上限
          <input type="number" min={0} step={1} inputMode="numeric" value={max} onChange={(e) => setMax(e.target.value)} aria-label="户数上限" />
        </label>
        <span>户</span>
      </div>
      <div className="editor-band-actions">
        <button type="submit" className="text-button" disabled={saving} data-testid="band-save">
          {saving ? '正在保存…' : '保存区间'}
        </button>
        {band.data.configured && (
          <button type="button" className="text-button" disabled={saving} onClick={() => void write(null)}>
            恢复默认
          </button>
        )}
      </div>
      {message && (
        <p className={message.error ? 'error-message' : 'muted'} role="status" data-testid="band-message">
          {message.text}
        </p>
      )}
    </form>
  );
}
