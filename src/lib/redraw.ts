/**
 * Arrivals redraw the lists at most every REDRAW_MS: at thousands of
 * messages or frames a second, redrawing for every batch (each animation
 * frame) would take the whole frame; a tenth of a second is still "live".
 */
export const REDRAW_MS = 100;

/** A function that calls `bump` REDRAW_MS after the first of any number of calls in between. */
export function redrawSoon(bump: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      bump();
    }, REDRAW_MS);
  };
}
