// Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442'];

/** Axis and grid colours that follow the page's light/dark scheme. */
export function axisColors() {
  const cs = getComputedStyle(document.documentElement);
  return {
    stroke: cs.getPropertyValue('--muted').trim() || '#57606a',
    grid: cs.getPropertyValue('--line').trim() || '#d0d7de',
  };
}
