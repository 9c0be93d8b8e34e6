// Lessons ("predict, then reveal"): a small JSON file (docs/lessons.md) with a scenario or
// a few variants of one, a question, and what to say once the simulation has answered.
// The gallery's entries are lessons; an instructor writes one and shares it as a link,
// either to a file on the site (`?lesson=gallery/02-small-files.json`) or inline
// (`#lesson=<base64url of the JSON>`).
import { checkScenario, partsText } from './state.js';

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

/** Views a lesson may open in. */
const VIEWS = ['run', 'compare', 'sweep', 'timeline'];
/** Units of a number answer. */
const UNITS = ['count', 'usd', 's', 'percent'];

/**
 * The lesson's problems, as sentences (empty when it is usable). Never throws, whatever
 * JSON it is given. @param {any} l @returns {string[]}
 */
export function lessonProblems(l) {
  /** @type {string[]} */
  const p = [];
  const obj = (/** @type {any} */ v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const text = (/** @type {any} */ v, /** @type {string} */ name) => {
    if (!obj(v) || typeof v.en !== 'string' || typeof v.ko !== 'string') p.push(`${name} needs "en" and "ko" text`);
  };
  const num = (/** @type {any} */ v) => typeof v === 'number' && Number.isFinite(v);
  if (!obj(l)) return ['a lesson is a JSON object'];
  text(l.title, 'title');
  text(l.explain, 'explain');
  if (l.reveal !== undefined) text(l.reveal, 'reveal');
  if (l.view !== undefined && !VIEWS.includes(l.view)) p.push(`view is one of ${VIEWS.join(', ')}`);
  if (l.sla_min !== undefined && !(num(l.sla_min) && l.sla_min > 0)) p.push('sla_min is a number of minutes above 0');
  const nVariants = Array.isArray(l.variants) ? l.variants.length : 0;
  if (!Array.isArray(l.variants) || nVariants < 1 || nVariants > 4) p.push('variants: 1 to 4 of them');
  else l.variants.forEach((/** @type {any} */ v, /** @type {number} */ i) => {
    text(v?.label, `variants[${i}].label`);
    if (!obj(v?.scenario)) p.push(`variants[${i}].scenario is missing`);
    else {
      const { bad } = checkScenario(v.scenario);
      if (bad.length) p.push(`variants[${i}].scenario: ${partsText(bad)} not understood`);
    }
  });
  if (l.question !== undefined) {
    const a = obj(l.question) ? l.question.answer : undefined;
    text(l.question, 'question');
    if (!obj(a)) p.push('question.answer.kind is "number" or "choice"');
    else if (a.kind === 'number') {
      const ratio = obj(a.ratio) && typeof a.ratio.num === 'string' && typeof a.ratio.den === 'string';
      if (typeof a.path !== 'string' && !ratio) p.push('question.answer needs a path (or a ratio)');
      if (a.ratio !== undefined && !ratio) p.push('question.answer.ratio needs "num" and "den" paths');
      if (a.variant != null && !(Number.isInteger(a.variant) && a.variant >= 0 && a.variant < nVariants)) p.push('question.answer.variant is not a variant');
      if (a.unit !== undefined && !UNITS.includes(a.unit)) p.push(`question.answer.unit is one of ${UNITS.join(', ')}`);
      if (a.tolerance !== undefined && !(num(a.tolerance) && a.tolerance >= 0)) p.push('question.answer.tolerance is a number ≥ 0');
    } else if (a.kind === 'choice') {
      if (!Array.isArray(a.choices) || a.choices.length !== nVariants) p.push('question.answer.choices: one per variant');
      else a.choices.forEach((/** @type {any} */ c, /** @type {number} */ i) => text(c, `question.answer.choices[${i}]`));
      if (typeof a.metric !== 'string') p.push('question.answer.metric is missing');
      if (a.pick !== 'min' && a.pick !== 'max') p.push('question.answer.pick is "min" or "max"');
    } else p.push('question.answer.kind is "number" or "choice"');
  }
  return p;
}

/** A value at a dotted path of a run's report parts (summary, cost, data, recovery, state_memory). @param {any} r @param {string} path */
export function reportValue(r, path) {
  /** @type {any} */
  let o = { summary: r.summary, cost: r.cost, data: r.data, recovery: r.recovery, state_memory: r.stateMemory ?? r.state_memory };
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

/** A lesson that cannot be read (its message says why); lessonProblems judges one that can. */
export class LessonError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'LessonError';
  }
}

/**
 * An inline lesson's JSON value (any JSON: lessonProblems says whether it is a lesson).
 * Throws only LessonError. @param {string} s @returns {unknown}
 */
export function decodeLesson(s) {
  let text;
  try {
    const bin = atob(String(s).replace(/-/g, '+').replace(/_/g, '/'));
    text = new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    throw new LessonError('the inline lesson is not base64url text');
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new LessonError(`the inline lesson is not JSON (${err instanceof Error ? err.message.slice(0, 200) : ''})`);
  }
}

/**
 * The lesson a page URL names, if any: `?lesson=<path on this site>` or `#…&lesson=<inline>`.
 * Null when the URL names none; rejects only with LessonError.
 * @param {Location | URL} loc @returns {Promise<unknown>}
 */
export async function lessonFromUrl(loc) {
  const inline = new URLSearchParams(loc.hash.replace(/^#/, '')).get('lesson');
  if (inline) return someLesson(decodeLesson(inline));
  const file = new URLSearchParams(loc.search).get('lesson');
  if (!file) return null;
  const name = file.length > 200 ? `${file.slice(0, 200)}…` : file;
  // Only files of this site: a lesson link must not make the page fetch from elsewhere.
  let url;
  try {
    url = new URL(file, loc.href);
  } catch {
    throw new LessonError(`lesson ${name}: not a path on this site`);
  }
  if (url.origin !== new URL(loc.href).origin) throw new LessonError(`lesson ${name}: only lessons from this site open by path; share others inline`);
  let r;
  try {
    r = await fetch(url);
  } catch {
    throw new LessonError(`lesson ${name}: could not be fetched`);
  }
  if (!r.ok) throw new LessonError(`lesson ${name}: HTTP ${r.status}`);
  let value;
  try {
    value = await r.json();
  } catch {
    throw new LessonError(`lesson ${name}: not JSON`);
  }
  return someLesson(value);
}

/** A lesson link's value: not null (null is "no lesson" to the caller). @param {unknown} v */
function someLesson(v) {
  if (v === null) throw new LessonError('a lesson is a JSON object');
  return v;
}
