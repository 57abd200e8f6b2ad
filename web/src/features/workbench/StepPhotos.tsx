/** The photos of one step (or of the report), through the photos feature's strip. */
import { PhotoStrip } from '../photos/PhotoStrip';

export function StepPhotos({ incidentId, transitionId }: { incidentId: number; transitionId: number | null }) {
  return <PhotoStrip incidentId={incidentId} transitionId={transitionId} />;
}
