/**
 * Bulk dispatch (批量派遣): the checked incidents go to one department in one
 * request per stage (the server checks each one's expected stage, all or nothing).
 */
import { useState } from 'react';
import { errorMessage } from '../../api/queries';
import { bulkDispatch, type InboxItem, useDepartments } from './workbenchApi';

export function BulkDispatchBar({ items, onDone }: { items: InboxItem[]; onDone: (message: string) => void }) {
  const departments = useDepartments();
  const [departmentId, setDepartmentId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function dispatchAll() {
    setBusy(true);
    setError(null);
    try {
      const byStage = new Map<string, number[]>();
      for (const i of items) byStage.set(i.stage, [...(byStage.get(i.stage) ?? []), i.id]);
      for (const [stage, ids] of byStage) await bulkDispatch({ ids, departmentId: Number(departmentId), expectedStage: stage });
      const name = departments.data?.find((d) => String(d.id) === departmentId)?.name ?? '';
      onDone(`已将 ${items.length} 件派遣至${name}`);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="wb-bulk" role="group" aria-label="批量派遣" data-testid="bulk-dispatch">
      <span>已选 {items.length} 件</span>
      <select aria-label="派遣至责任单位" value={departmentId} onChange={(e) => setDepartmentId(e.target.value)}>
        <option value="">选择责任单位…</option>
        {(departments.data ?? []).map((d) => (
          <option key={d.id} value={String(d.id)}>
            {d.name}
          </option>
        ))}
      </select>
      <button type="button" className="wb-primary" disabled={busy || !departmentId || items.length === 0} onClick={() => void dispatchAll()}>
        {busy ? '正在派遣…' : '批量派遣'}
      </button>
      {error && (
        <span className="error-message" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
