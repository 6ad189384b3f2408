// An analysis that a newer text makes stale stops at its next checkpoint instead of finishing work
// nobody will see: the host says when (a newer version arrived) and the analysis asks between stages.

/** True once the text or settings the analysis reads have changed since it started. */
export type IsStale = () => boolean;

export const neverStale: IsStale = () => false;

export class AnalysisCancelled extends Error {
  constructor() {
    super('analysis cancelled: a newer version of the configuration arrived');
  }
}

/** Stops the analysis (by throwing AnalysisCancelled) when it has become stale. */
export function checkpoint(isStale: IsStale): void {
  if (isStale()) throw new AnalysisCancelled();
}
