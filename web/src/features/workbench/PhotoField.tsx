/** Photos for a step or a report in the workbench's forms: the photos feature's picker, labelled. */
import { PhotoPicker } from '../photos/PhotoPicker';
import type { PreparedPhoto } from '../photos/preparePhoto';

export function PhotoField({ value, onChange, progress }: { value: PreparedPhoto[]; onChange: (photos: PreparedPhoto[]) => void; progress: number | null }) {
  return (
    <div className="wb-field">
      <span className="wb-field-label">照片（最多 9 张）</span>
      <PhotoPicker value={value} onChange={onChange} progress={progress} />
    </div>
  );
}
