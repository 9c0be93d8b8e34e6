// Lessons ("predict, then reveal"): a small JSON file (docs/lessons.md) with a scenario or
// a few variants of one, a question, and what to say once the simulation has answered.
// The gallery's entries are lessons; an instructor writes one and shares it as a link,
// either to a file on the site (`?lesson=gallery/02-small-files.json`) or inline
// (`#lesson=<base64url of the JSON>`).

/** @typedef {'en' | 'ko'} Lang */
/** @typedef {{en: string, ko: string}} Text */

/**
 * @typedef {object} NumberAnswer
 * @property {'number'} kind
 * @property {number} [variant] which variant's report (default 0)
 * @property {string} [path] dotted path in the report, e.g. `cost.storage.data_files_written`
 * @property {{num: string, den: string}} [ratio] instead of `path`: 100 × num / den (percent)
 * @property {'count' | 'usd' | 's' | 'percent'} [unit]
 * @property {number} [tolerance] relative, e.g. 0.2 = within ±20 % counts as right (default 0.25)
 */
/**
 * @typedef {object} ChoiceAnswer
 * @property {'choice'} kind
 * @property {Text[]} choices one per variant
 * @property {string} metric dotted path compared across the variants
 * @property {'min' | 'max'} pick the right choice is the variant with the smallest / largest
 */
/**
 * @typedef {object} Lesson
 * @property {string} id
 * @property {Text} title
 * @property {Text} explain
 * @property {'run' | 'compare' | 'sweep' | 'timeline'} [view]
 * @property {number} [sla_min]
 * @property {{label: Text, scenario: any}[]} variants 1 to 4
 * @property {Text & {answer: NumberAnswer | ChoiceAnswer}} [question]
 * @property {Text} [reveal]
 * @property {string} [seed_ref]
 * @property {string} [notes]
 */

/** The lesson's problems, as sentences (empty when it is usable). @param {any} l @returns {string[]} */
export function lessonProblems(l) {
  /** @type {string[]} */
  const p = [];
  const text = (/** @type {any} */ v, /** @type {string} */ name) => {
    if (!v || typeof v.en !== 'string' || typeof v.ko !== 'string') p.push(`${name} needs "en" and "ko" text`);
  };
  if (!l || typeof l !== 'object') return ['a lesson is a JSON object'];
  text(l.title, 'title');
  text(l.explain, 'explain');
  if (!Array.isArray(l.variants) || l.variants.length < 1 || l.variants.length > 4) p.push('variants: 1 to 4 of them');
  else l.variants.forEach((/** @type {any} */ v, /** @type {number} */ i) => {
    text(v?.label, `variants[${i}].label`);
    if (!v?.scenario || typeof v.scenario !== 'object') p.push(`variants[${i}].scenario is missing`);
  });
  const a = l.question?.answer;
  if (l.question) {
    text(l.question, 'question');
    if (a?.kind === 'number') {
      if (typeof a.path !== 'string' && !(a.ratio && typeof a.ratio.num === 'string' && typeof a.ratio.den === 'string')) p.push('question.answer needs a path (or a ratio)');
      if (a.variant != null && !(a.variant >= 0 && a.variant < (l.variants?.length ?? 0))) p.push('question.answer.variant is not a variant');
    } else if (a?.kind === 'choice') {
      if (!Array.isArray(a.choices) || a.choices.length !== l.variants?.length) p.push('question.answer.choices: one per variant');
      if (typeof a.metric !== 'string') p.push('question.answer.metric is missing');
      if (a.pick !== 'min' && a.pick !== 'max') p.push('question.answer.pick is "min" or "max"');
    } else p.push('question.answer.kind is "number" or "choice"');
  }
  return p;
}

/** A value at a dotted path of a run's report parts (summary, cost, data). @param {any} r @param {string} path */
export function reportValue(r, path) {
  /** @type {any} */
  let o = { summary: r.summary, cost: r.cost, data: r.data };
  for (const k of path.split('.')) o = o?.[k];
  return typeof o === 'number' ? o : NaN;
}

/**
 * The right answer, from the variants' results (in variant order).
 * @param {NumberAnswer | ChoiceAnswer} a @param {any[]} results
 * @returns {{value: number, choice: number | null, values: number[]}}
 */
export function rightAnswer(a, results) {
  if (a.kind === 'choice') {
    const values = results.map((r) => reportValue(r, a.metric));
    let best = 0;
    values.forEach((v, i) => {
      if (a.pick === 'min' ? v < values[best] : v > values[best]) best = i;
    });
    return { value: values[best], choice: best, values };
  }
  const r = results[a.variant ?? 0];
  const value = a.ratio ? (100 * reportValue(r, a.ratio.num)) / reportValue(r, a.ratio.den) : reportValue(r, a.path ?? '');
  return { value, choice: null, values: [value] };
}

/** Whether a guess is within the answer's tolerance. @param {NumberAnswer} a @param {number} guess @param {number} value */
export function closeEnough(a, guess, value) {
  const tol = a.tolerance ?? 0.25;
  if (value === 0) return Math.abs(guess) <= tol;
  return Math.abs(guess - value) <= tol * Math.abs(value);
}

/** A lesson as an inline link fragment value. @param {Lesson} l */
export function encodeLesson(l) {
  const bytes = new TextEncoder().encode(JSON.stringify(l));
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** @param {string} s @returns {any} */
export function decodeLesson(s) {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
}

/**
 * The lesson a page URL names, if any: `?lesson=<path on this site>` or `#…&lesson=<inline>`.
 * @param {Location | URL} loc @returns {Promise<any | null>}
 */
export async function lessonFromUrl(loc) {
  const inline = new URLSearchParams(loc.hash.replace(/^#/, '')).get('lesson');
  if (inline) return decodeLesson(inline);
  const file = new URLSearchParams(loc.search).get('lesson');
  if (!file) return null;
  // Only files of this site: a lesson link must not make the page fetch from elsewhere.
  const url = new URL(file, loc.href);
  if (url.origin !== new URL(loc.href).origin) throw new Error(`lesson ${file}: only lessons from this site open by path; share others inline`);
  const r = await fetch(url);
  if (!r.ok) throw new Error(`lesson ${file}: HTTP ${r.status}`);
  return r.json();
}
