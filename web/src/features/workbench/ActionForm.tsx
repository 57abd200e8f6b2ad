/**
 * One allowed action's small form: the fields the server's action table asks for
 * (note, department, grid worker, departments to summon, hours, satisfaction) and,
 * for the steps that document work on site, photos attached to the new step. An
 * action without required fields still opens the form (one more Enter submits), so
 * a stray shortcut never writes on its own.
 */
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import { errorMessage } from '../../api/queries';
import type { PreparedPhoto } from '../photos/preparePhoto';
import { PhotoField } from './PhotoField';
import { type AllowedAction, assigneesQuery, useDepartments } from './workbenchApi';

/** Steps whose photos show the work (处置、核实、退单、报到) and the evidence for a rework. */
export const PHOTO_ACTIONS = new Set(['handle', 'verify', 'rework', 'return', 'report_in']);

export interface ActionFormProps {
  incidentId: number;
  action: AllowedAction;
  busy: boolean;
  /** 0–1 while the step's photos upload. */
  progress: number | null;
  /** Resolves when written; rejects with the server's problem. */
  onSubmit: (fields: Record<string, unknown>, photos: File[]) => Promise<void>;
  onCancel: () => void;
}

type Values = Record<string, string | string[]>;

export function ActionForm({ incidentId, action, busy, progress, onSubmit, onCancel }: ActionFormProps) {
  const [values, setValues] = useState<Values>({});
  const [photos, setPhotos] = useState<PreparedPhoto[]>([]);
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const departments = useDepartments();
  const needsAssignees = action.fields.some((f) => f.kind === 'department' || f.kind === 'user');
  const assignees = useQuery({ ...assigneesQuery(incidentId), enabled: needsAssignees });
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('textarea, select, input')?.focus();
  }, []);

  const set = (name: string, value: string | string[]) => setValues((v) => ({ ...v, [name]: value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const fields: Record<string, unknown> = {};
    for (const f of action.fields) {
      const v = values[f.name];
      if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
      if (f.kind === 'department' || f.kind === 'user' || f.kind === 'hours' || f.kind === 'satisfaction') fields[f.name] = Number(v);
      else if (f.kind === 'departments') fields[f.name] = (v as string[]).map(Number);
      else fields[f.name] = v;
    }
    setError(null);
    try {
      await onSubmit(
        fields,
        photos.map((p) => p.file),
      );
    } catch (err) {
      const byField: Record<string, string> = {};
      if (err instanceof ApiError) for (const x of err.problem.errors ?? []) byField[x.field] = x.reason;
      setError({ message: errorMessage(err), fields: byField });
    }
  }

  const candidateDepartments = assignees.data?.departments ?? departments.data ?? [];
  const candidateWorkers = assignees.data?.gridWorkers ?? [];

  return (
    <form ref={formRef} className="wb-action-form" onSubmit={submit} aria-label={action.label} data-testid={`form-${action.action}`}>
      <h4>{action.label}</h4>
      {action.fields.map((f) => {
        const fieldError = error?.fields[f.name];
        const id = `wb-field-${action.action}-${f.name}`;
        return (
          <div key={f.name} className="wb-field">
            <label htmlFor={id}>
              {f.label}
              {f.required && <span className="wb-required">*</span>}
            </label>
            {f.kind === 'text' && (
              <textarea
                id={id}
                rows={2}
                maxLength={500}
                required={f.required}
                value={(values[f.name] as string) ?? ''}
                onChange={(e) => set(f.name, e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) formRef.current?.requestSubmit();
                }}
              />
            )}
            {f.kind === 'department' && (
              <select id={id} required={f.required} value={(values[f.name] as string) ?? ''} onChange={(e) => set(f.name, e.target.value)}>
                <option value="">（请选择）</option>
                {candidateDepartments.map((d) => (
                  <option key={d.id} value={String(d.id)}>
                    {d.name}
                    {'default' in d && d.default ? '（类别默认）' : ''}
                  </option>
                ))}
              </select>
            )}
            {f.kind === 'user' && (
              <select id={id} required={f.required} value={(values[f.name] as string) ?? ''} onChange={(e) => set(f.name, e.target.value)}>
                <option value="">（请选择）</option>
                {candidateWorkers.map((u) => (
                  <option key={u.id} value={String(u.id)}>
                    {u.name}
                  </option>
                ))}
              </select>
            )}
            {f.kind === 'departments' && (
              <div id={id} className="wb-multi" role="group" aria-label={f.label}>
                {(departments.data ?? []).map((d) => {
                  const chosen = (values[f.name] as string[] | undefined) ?? [];
                  return (
                    <label key={d.id}>
                      <input type="checkbox" checked={chosen.includes(String(d.id))} onChange={(e) => set(f.name, e.target.checked ? [...chosen, String(d.id)] : chosen.filter((x) => x !== String(d.id)))} />
                      {d.name}
                    </label>
                  );
                })}
              </div>
            )}
            {f.kind === 'hours' && <input id={id} type="number" min={1} max={720} step={1} required={f.required} value={(values[f.name] as string) ?? ''} onChange={(e) => set(f.name, e.target.value)} />}
            {f.kind === 'satisfaction' && (
              <div id={id} className="wb-stars" role="radiogroup" aria-label={f.label}>
                {[1, 2, 3, 4, 5].map((n) => (
                  <label key={n}>
                    <input type="radio" name={id} value={n} required={f.required} checked={values[f.name] === String(n)} onChange={() => set(f.name, String(n))} />
                    {n}
                  </label>
                ))}
              </div>
            )}
            {fieldError && <p className="error-message">{fieldError}</p>}
          </div>
        );
      })}
      {PHOTO_ACTIONS.has(action.action) && <PhotoField value={photos} onChange={setPhotos} progress={progress} />}
      {error && (
        <p className="error-message" role="alert" data-testid="action-error">
          {error.message}
        </p>
      )}
      <div className="wb-form-buttons">
        <button type="submit" className="wb-primary" disabled={busy}>
          {busy ? '正在提交…' : `确认${action.label}`}
        </button>
        <button type="button" onClick={onCancel}>
          取消
        </button>
      </div>
    </form>
  );
}
