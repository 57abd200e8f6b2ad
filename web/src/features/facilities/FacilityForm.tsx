/**
 * Create or edit one 阵地: name, kind, the levels that kind may be built at, the region (taken from
 * where it stands on the map), area, households served, address, opening hours. The server checks
 * everything; its Chinese reasons (problem details) appear beside the fields they concern, a refusal
 * (403: outside the jurisdiction) above the form. Deleting asks for a confirmation first.
 */
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { FACILITY_KIND_INFO, FACILITY_KINDS, FACILITY_LEVEL_NAMES, type FacilityKind, type FacilityLevel } from '../../../../kernel/facilityKinds';
import { ApiError } from '../../api/client';
import { errorMessage } from '../../api/queries';
import type { CreateFacility } from './facilitiesApi';

export interface FacilityDraft {
  /** null: a new facility. */
  id: number | null;
  name: string;
  kind: FacilityKind;
  level: FacilityLevel;
  region: { code: string; name: string } | null;
  areaM2: string;
  householdsServed: string;
  address: string;
  openingHours: string;
  position: [number, number];
}

export interface FacilityFormProps {
  draft: FacilityDraft;
  readOnly: boolean;
  /** Why it is read-only (shown above the form). */
  readOnlyReason?: string;
  /** Region lookup for the draft's position is under way. */
  locating: boolean;
  onChange: (next: FacilityDraft) => void;
  onSave: (body: CreateFacility) => Promise<void>;
  onDelete: () => Promise<void>;
  onClose: () => void;
  /** Extra lines under the title (norm, walking circles). */
  status?: ReactNode;
}

/** The body the API accepts; a bad number travels as it is (NaN → null) so that the server names the field. */
export function facilityBody(d: FacilityDraft): CreateFacility {
  return {
    name: d.name,
    kind: d.kind,
    level: d.level,
    regionCode: d.region?.code ?? '',
    areaM2: Number(d.areaM2.trim() === '' ? Number.NaN : d.areaM2),
    householdsServed: Number(d.householdsServed.trim() === '' ? 0 : d.householdsServed),
    address: d.address.trim() === '' ? null : d.address,
    openingHours: d.openingHours.trim() === '' ? null : d.openingHours,
    position: d.position,
  };
}

interface Problems {
  fields: Record<string, string>;
  message: string | null;
}

const FIELD_OF: Record<string, string> = {
  name: 'name',
  kind: 'kind',
  level: 'level',
  regionCode: 'region',
  areaM2: 'areaM2',
  householdsServed: 'householdsServed',
  address: 'address',
  openingHours: 'openingHours',
  position: 'position',
};

function problemsOf(error: unknown): Problems {
  if (!(error instanceof ApiError)) return { fields: {}, message: errorMessage(error) };
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  for (const e of error.problem.errors ?? []) {
    const field = FIELD_OF[e.field.split('.')[0] ?? ''];
    if (field) fields[field] = fields[field] ? `${fields[field]}；${e.reason}` : e.reason;
    else rest.push(e.reason);
  }
  const known = Object.keys(fields).length > 0;
  // A refusal without field errors (403, 404, 409) is the message itself.
  const message = rest.length > 0 ? rest.join('；') : known ? null : (error.problem.detail ?? error.problem.title);
  return { fields, message: error.problem.status === 403 ? `无权修改：${error.problem.detail ?? error.problem.title}` : message };
}

export function FacilityForm({ draft, readOnly, readOnlyReason, locating, onChange, onSave, onDelete, onClose, status }: FacilityFormProps) {
  const id = useId();
  const [problems, setProblems] = useState<Problems>({ fields: {}, message: null });
  const [busy, setBusy] = useState<'save' | 'delete' | null>(null);
  const [confirming, setConfirming] = useState(false);
  const levels = FACILITY_KIND_INFO[draft.kind].levels;
  const set = (patch: Partial<FacilityDraft>) => onChange({ ...draft, ...patch });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (readOnly || busy) return;
    setBusy('save');
    setProblems({ fields: {}, message: null });
    try {
      await onSave(facilityBody(draft));
    } catch (err) {
      setProblems(problemsOf(err));
    } finally {
      setBusy(null);
    }
  };
  const remove = async () => {
    setBusy('delete');
    setProblems({ fields: {}, message: null });
    try {
      await onDelete();
    } catch (err) {
      setProblems(problemsOf(err));
      setConfirming(false);
    } finally {
      setBusy(null);
    }
  };

  const field = (name: string, label: string, input: ReactNode, hint?: string) => (
    <div className={`facility-field${problems.fields[name] ? ' has-error' : ''}`}>
      <label htmlFor={`${id}-${name}`}>{label}</label>
      {input}
      {hint && <span className="facility-hint">{hint}</span>}
      {problems.fields[name] && (
        <p className="error-message" id={`${id}-${name}-error`} data-testid={`error-${name}`}>
          {problems.fields[name]}
        </p>
      )}
    </div>
  );
  const aria = (name: string) => ({ id: `${id}-${name}`, 'aria-invalid': problems.fields[name] ? true : undefined, 'aria-describedby': problems.fields[name] ? `${id}-${name}-error` : undefined, disabled: readOnly });

  return (
    <form className="facility-form" onSubmit={submit} noValidate aria-label={draft.id === null ? '新建阵地' : '编辑阵地'} data-testid="facility-form">
      <div className="facility-form-head">
        <h2>{draft.id === null ? '新建阵地' : readOnly ? '阵地详情' : '编辑阵地'}</h2>
        <button type="button" className="text-button" onClick={onClose} aria-label="关闭表单">
          关闭
        </button>
      </div>
      {readOnly && readOnlyReason && (
        <p className="facility-readonly" role="note" data-testid="facility-readonly">
          {readOnlyReason}
        </p>
      )}
      {problems.message && (
        <p className="facility-problem" role="alert" data-testid="facility-problem">
          {problems.message}
        </p>
      )}
      {status}
      {field('name', '名称', <input {...aria('name')} value={draft.name} onChange={(e) => set({ name: e.target.value })} maxLength={100} autoComplete="off" />)}
      {field(
        'kind',
        '类型',
        <select
          {...aria('kind')}
          value={draft.kind}
          onChange={(e) => {
            const kind = e.target.value as FacilityKind;
            const allowed = FACILITY_KIND_INFO[kind].levels;
            set({ kind, level: allowed.includes(draft.level) ? draft.level : allowed[allowed.length - 1]! });
          }}
        >
          {FACILITY_KINDS.map((k) => (
            <option key={k} value={k}>
              {FACILITY_KIND_INFO[k].label}
            </option>
          ))}
        </select>,
      )}
      {field(
        'level',
        '级别',
        <select {...aria('level')} value={draft.level} onChange={(e) => set({ level: e.target.value as FacilityLevel })}>
          {levels.map((l) => (
            <option key={l} value={l}>
              {FACILITY_LEVEL_NAMES[l]}级
            </option>
          ))}
        </select>,
        `${FACILITY_KIND_INFO[draft.kind].label}可建在${levels.map((l) => FACILITY_LEVEL_NAMES[l]).join('、')}级`,
      )}
      {field(
        'region',
        '所属区划',
        <output id={`${id}-region`} className="facility-region" data-testid="facility-region">
          {locating ? '正在查找所在区划…' : draft.region ? `${draft.region.name}（${draft.region.code}）` : '此处不在任何已载入的区划内'}
        </output>,
        '由地图上的位置和级别决定',
      )}
      {field('areaM2', '面积（m²）', <input {...aria('areaM2')} type="number" inputMode="decimal" min={0} step="any" value={draft.areaM2} onChange={(e) => set({ areaM2: e.target.value })} />)}
      {field(
        'householdsServed',
        '服务户数',
        <input {...aria('householdsServed')} type="number" inputMode="numeric" min={0} step={1} value={draft.householdsServed} onChange={(e) => set({ householdsServed: e.target.value })} />,
        '社区、小区级党群服务中心按每百户 30 m² 核算，小区不少于 300 m²',
      )}
      {field('address', '地址', <input {...aria('address')} value={draft.address} onChange={(e) => set({ address: e.target.value })} maxLength={200} autoComplete="off" />)}
      {field('openingHours', '开放时间', <input {...aria('openingHours')} value={draft.openingHours} onChange={(e) => set({ openingHours: e.target.value })} maxLength={100} placeholder="如 周一至周五 09:00-17:00" />)}
      {field(
        'position',
        '位置',
        <output id={`${id}-position`} className="facility-position" data-testid="facility-position">
          {draft.position[0].toFixed(6)}, {draft.position[1].toFixed(6)}
        </output>,
        readOnly ? undefined : draft.id === null ? '在地图上点击别处可重新放置，或拖动圆点' : '在地图上拖动所选圆点可移动位置',
      )}
      {!readOnly && (
        <div className="facility-actions">
          <button type="submit" className="primary" disabled={busy !== null || locating}>
            {busy === 'save' ? '正在保存…' : draft.id === null ? '新建' : '保存'}
          </button>
          {draft.id !== null &&
            (confirming ? (
              <span className="facility-confirm" role="group" aria-label="确认删除">
                确认删除「{draft.name}」？
                <button type="button" className="danger" onClick={remove} disabled={busy !== null}>
                  {busy === 'delete' ? '正在删除…' : '确认删除'}
                </button>
                <button type="button" onClick={() => setConfirming(false)} disabled={busy !== null}>
                  取消
                </button>
              </span>
            ) : (
              <button type="button" className="danger" onClick={() => setConfirming(true)} disabled={busy !== null}>
                删除
              </button>
            ))}
        </div>
      )}
    </form>
  );
}
