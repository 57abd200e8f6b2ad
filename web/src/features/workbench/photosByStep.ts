/**
 * The incident's photos grouped by the timeline step they belong to: a photo names
 * its step (transition id); one without (uploaded with the report) goes to the 上报 step.
 */
export function photosByStep<P extends { transitionId: number | null }>(photos: readonly P[], steps: readonly { id: number; action: string }[]): Map<number, P[]> {
  const reportStep = steps.find((s) => s.action === 'report')?.id;
  const out = new Map<number, P[]>();
  for (const p of photos) {
    const step = p.transitionId ?? reportStep;
    if (step === undefined) continue;
    out.set(step, [...(out.get(step) ?? []), p]);
  }
  return out;
}
