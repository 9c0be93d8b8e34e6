// Number and time formatting shared by the panels.

/** @param {number} n @param {string} lang */
export function int(n, lang) {
  return Number.isFinite(n) ? Math.round(n).toLocaleString(lang) : '–';
}

/** @param {number} n @param {number} digits @param {string} lang */
export function fixed(n, digits, lang) {
  return Number.isFinite(n)
    ? n.toLocaleString(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '–';
}

/**
 * An instant in µs since the epoch, UTC: HH:MM:SS.mmm when it falls on the same day as
 * `refUs`, else YYYY-MM-DD HH:MM:SS.mmm (– when absent).
 * @param {number} us @param {number} refUs
 */
export function clock(us, refUs) {
  if (!Number.isFinite(us)) return '–';
  const iso = new Date(us / 1000).toISOString();
  const sameDay = iso.slice(0, 10) === new Date(refUs / 1000).toISOString().slice(0, 10);
  return sameDay ? iso.slice(11, 23) : `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

/** A duration in seconds, or – when absent. @param {number | null} s @param {string} lang */
export function seconds(s, lang) {
  if (s === null || !Number.isFinite(s)) return '–';
  return `${s.toLocaleString(lang, { maximumFractionDigits: s < 10 ? 2 : 0 })} s`;
}
