/**
 * Photos to attach to a step or a report: the photos feature's picker, kept behind
 * this one adapter so the workbench's forms do not depend on its props.
 */
import { PhotoPicker } from '../photos/PhotoPicker';

export function PhotoField({ files, onChange }: { files: File[]; onChange: (files: File[]) => void }) {
  return (
    <div className="wb-field">
      <span className="wb-field-label">照片（最多 9 张）</span>
      <PhotoPicker files={files} onChange={onChange} />
    </div>
  );
}
