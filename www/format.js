// Number and time formatting shared by the panels.

/** Number formats by locale and options, made once: `n.toLocaleString(lang, opts)` builds
 * one per call, which made a 500-row table take ~50 ms of formatting alone. @type {Map<string, Intl.NumberFormat>} */
const formats = new Map();

/** The cached Intl.NumberFormat of `lang` with `digits` fraction digits (none: as toLocaleString). @param {string} lang @param {number} [digits] */
function numberFormat(lang, digits) {
  const key = `${lang}|${digits ?? ''}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang, digits == null ? undefined : { minimumFractionDigits: digits, maximumFractionDigits: digits });
    formats.set(key, f);
  }
  return f;
}

/** @param {number} n @param {string} lang */
export function int(n, lang) {
  return Number.isFinite(n) ? numberFormat(lang).format(Math.round(n)) : '–';
}

/** @param {number} n @param {number} digits @param {string} lang */
export function fixed(n, digits, lang) {
  return Number.isFinite(n) ? numberFormat(lang, digits).format(n) : '–';
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

/** An instant in µs since the epoch as YYYY-MM-DD HH:MM:SS.mmm, UTC (– when absent). @param {number} us */
export function dateTime(us) {
  if (!Number.isFinite(us)) return '–';
  const iso = new Date(us / 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

/** Milliseconds, grouped (27,642 ms; one decimal below 10 ms). @param {number} ms @param {string} lang */
export function millis(ms, lang) {
  return Number.isFinite(ms) ? `${fixed(ms, ms < 10 ? 1 : 0, lang)} ms` : '–';
}

/** A duration in seconds, or – when absent. @param {number | null} s @param {string} lang */
export function seconds(s, lang) {
  if (s === null || !Number.isFinite(s)) return '–';
  return `${s.toLocaleString(lang, { maximumFractionDigits: s < 10 ? 2 : 0 })} s`;
}

/**
 * A duration in the largest unit that keeps it readable: 45 s, 15 min, 2 h, 1 d (Korean:
 * 초, 분, 시간, 일). @param {number} s seconds @param {string} lang
 */
export function duration(s, lang) {
  if (!Number.isFinite(s) || s < 0) return '–';
  const ko = lang === 'ko';
  /** @type {[number, string, string][]} */
  const units = [[86400, ' d', '일'], [3600, ' h', '시간'], [60, ' min', '분'], [1, ' s', '초']];
  for (const [size, en, k] of units) {
    if (s >= size || size === 1) {
      const v = s / size;
      const n = v.toLocaleString(lang, { maximumFractionDigits: v < 10 ? 1 : 0 });
      return ko ? `${n}${k}` : `${n}${en}`;
    }
  }
  return '–';
}

/** Bytes as B, kB, MB, GB (powers of 1000). @param {number} b @param {string} lang */
export function bytes(b, lang) {
  if (!Number.isFinite(b)) return '–';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = b;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return `${v.toLocaleString(lang, { maximumFractionDigits: v < 10 ? 1 : 0 })} ${units[i]}`;
}
