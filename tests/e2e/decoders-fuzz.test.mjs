// A fuzz pass over the page's link decoders, in Node (www/state.js and www/lesson.js touch
// no DOM): seeded, deterministic mutations of real inputs — hashes the app writes
// (encodeHash of the gallery's and the bundled datasets' scenarios, views, pins, SLAs) and
// the gallery lessons, inline — at the byte level (bit flips, truncations, cuts, repeats,
// stray characters) and at the JSON level (nulls, type swaps, deep nesting, long strings
// and keys, `__proto__` / `constructor` keys, numbers beyond a double). Every input must
// decode to a value or to a typed error (never an unexpected exception), give a scenario
// the page's controls can show, leave Object.prototype alone, finish within a time bound, and decode to a state that encodes
// and decodes back to itself.
//
//   FUZZ_INPUTS=20000 FUZZ_SEED=7 node --test tests/e2e/decoders-fuzz.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './harness.mjs';
import { BASE, clone, merge, encodeHash, decodeHash, checkScenario } from '../../www/state.js';
import { decodeLesson, lessonFromUrl, lessonProblems, encodeLesson, LessonError } from '../../www/lesson.js';
import { CONTROLS, controlValue, applyControl } from '../../www/controls.js';
import { describeScenario } from '../../www/summary.js';

const INPUTS = Math.max(1, Number(process.env.FUZZ_INPUTS ?? 3000) || 3000);
const SEED = Number(process.env.FUZZ_SEED ?? 20240612) >>> 0;
/** Longest one decode may take, ms (inputs go up to ~1 MB). */
const BOUND_MS = 1000;

/** mulberry32: a small seeded PRNG. @param {number} seed */
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (/** @type {number} */ n) => Math.floor(next() * n);
  const pick = (/** @type {any[]} */ xs) => xs[int(xs.length)];
  return { next, int, pick };
}

const GALLERY = path.join(ROOT, 'www', 'gallery');
const lessonTexts = readdirSync(GALLERY).filter((f) => f !== 'index.json' && f.endsWith('.json'))
  .map((f) => readFileSync(path.join(GALLERY, f), 'utf8'));
const lessons = lessonTexts.map((t) => JSON.parse(t));
const datasetScenarios = readdirSync(path.join(ROOT, 'datasets', 'scenarios'))
  .map((f) => JSON.parse(readFileSync(path.join(ROOT, 'datasets', 'scenarios', f), 'utf8')));

/** Every scenario the corpus has, as the app holds them (merged into BASE). */
const scenarios = [clone(BASE), ...lessons.flatMap((l) => l.variants.map((/** @type {any} */ v) => merge(BASE, v.scenario))),
  ...datasetScenarios.map((s) => merge(BASE, s))];

/** Hashes the app writes, for states made of the corpus's scenarios. @param {ReturnType<typeof prng>} r */
function realHash(r) {
  const view = r.pick(['run', 'timeline', 'compare', 'sweep']);
  const pins = Array.from({ length: r.int(5) }, () => r.pick(scenarios));
  return encodeHash({ scenario: r.pick(scenarios), view, slaMin: r.pick([15, 7.5, 60, 0.5]), pins });
}

const b64 = (/** @type {string} */ s) => Buffer.from(s, 'utf8').toString('base64url');
const unb64 = (/** @type {string} */ s) => Buffer.from(s, 'base64url').toString('utf8');

const STRAY = ['%', '&', '=', '#', '-', '_', '+', '/', '"', '{', '}', '[', ']', ',', ':', '\\', '\u0000', '\uffff', 'é', '😀', ' ', '\n'];

/** A byte-level mutation of a string. @param {ReturnType<typeof prng>} r @param {string} s */
function mutateText(r, s) {
  const i = r.int(s.length + 1);
  switch (r.int(7)) {
    case 0: { // flip a bit of one character
      if (!s.length) return s;
      const j = Math.min(i, s.length - 1);
      return s.slice(0, j) + String.fromCharCode(s.charCodeAt(j) ^ (1 << r.int(7))) + s.slice(j + 1);
    }
    case 1: return s.slice(0, i); // truncate
    case 2: return s.slice(0, i) + s.slice(i + 1 + r.int(20)); // cut a piece
    case 3: return s.slice(0, i) + r.pick(STRAY) + s.slice(i); // a stray character
    case 4: { // repeat a slice
      const piece = s.slice(i, i + 1 + r.int(40));
      return s.slice(0, i) + piece.repeat(1 + r.int(50)) + s.slice(i);
    }
    case 5: return s.slice(0, i) + r.pick(STRAY).repeat(1 + r.int(2000)) + s.slice(i);
    default: return s.split('').reverse().join('').slice(0, 1 + r.int(Math.max(1, s.length)));
  }
}

/** An own property, even for `__proto__`. @param {any} o @param {string} k @param {any} v */
function own(o, k, v) {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** A strange JSON value. @param {ReturnType<typeof prng>} r */
function strange(r) {
  switch (r.int(11)) {
    case 0: return null;
    case 1: return r.pick([0, -1, 1e308, -1e-300, 2 ** 53 + 1, 0.1]);
    case 2: return 'x'.repeat(r.pick([0, 1, 999, 1000, 1001, 100_000]));
    case 3: return [];
    case 4: return {};
    case 5: return r.pick([true, false]);
    case 6: { // deep nesting
      let v = /** @type {any} */ (r.pick([[], {}, 1]));
      for (let d = r.pick([10, 100, 1000]); d > 0; d--) v = d % 2 ? [v] : { a: v };
      return v;
    }
    case 7: { const o = {}; own(o, '__proto__', { polluted: true, kind: 'x' }); return o; }
    case 8: { const o = {}; own(o, r.pick(['constructor', 'prototype']), { prototype: { polluted: true } }); return o; }
    case 9: return { kind: r.pick(['scheduled', 'session', 'fixed', 'nope', '']), every_s: r.pick([1, 'a', null]) };
    default: return Array.from({ length: r.int(50) }, () => r.int(3));
  }
}

/** A JSON-level mutation: a node somewhere in `v` replaced, deleted or given a strange key. @param {ReturnType<typeof prng>} r @param {any} v */
function mutateJson(r, v) {
  const root = { v: v === undefined ? v : clone(v) };
  /** @type {any} */
  let parent = root;
  let key = 'v';
  // Walk down a few levels at random.
  for (let d = r.int(6); d > 0; d--) {
    const node = parent[key];
    if (!node || typeof node !== 'object') break;
    const keys = Object.keys(node);
    if (!keys.length) break;
    parent = node;
    key = r.pick(keys);
  }
  switch (r.int(5)) {
    case 0: delete parent[key]; break;
    case 1: {
      const node = parent[key];
      if (node && typeof node === 'object' && !Array.isArray(node)) {
        own(node, r.pick(['__proto__', 'constructor', 'prototype', 'kind', 'x'.repeat(r.pick([5, 101, 5000]))]), strange(r));
        break;
      }
    }
    // falls through
    default: own(parent, key, strange(r));
  }
  return root.v;
}

/** A fuzzed hash: bytes of a real one, or the JSON inside it changed. @param {ReturnType<typeof prng>} r */
function fuzzHash(r) {
  const hash = realHash(r);
  if (r.next() < 0.35) return mutateText(r, hash);
  const p = new URLSearchParams(hash.slice(1));
  const which = p.has('p') && r.next() < 0.3 ? 'p' : 's';
  const json = p.has(which) ? JSON.parse(unb64(/** @type {string} */ (p.get(which)))) : {};
  let text = String(JSON.stringify(r.next() < 0.15 ? strange(r) : mutateJson(r, json))); // 'undefined' when all was cut
  if (r.next() < 0.2) text = mutateText(r, text);
  if (r.next() < 0.05) text = text.replace(/\d+(\.\d+)?/, '1e400'); // beyond a double
  p.set(which, b64(text));
  if (r.next() < 0.1) p.set(r.pick(['v', 'view', 'sla']), r.pick(['', '1', '2', 'sweep', 'NaN', '-1', 'Infinity', '1e999', 'x'.repeat(5000)]));
  return `#${p.toString()}`;
}

/** A fuzzed inline lesson (the value of `#lesson=`). @param {ReturnType<typeof prng>} r */
function fuzzLesson(r) {
  const i = r.int(lessons.length);
  const mode = r.int(4);
  if (mode === 0) return mutateText(r, encodeLesson(lessons[i]));
  if (mode === 1) return b64(mutateText(r, lessonTexts[i]));
  let v = lessons[i];
  for (let n = 1 + r.int(3); n > 0; n--) v = mutateJson(r, v);
  return b64(String(JSON.stringify(mode === 3 && r.next() < 0.3 ? strange(r) : v)));
}

const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort().join();
const ARRAY_KEYS = Object.getOwnPropertyNames(Array.prototype).sort().join();
function assertNoPollution(/** @type {string} */ what) {
  assert.equal(Object.getOwnPropertyNames(Object.prototype).sort().join(), PROTO_KEYS, `Object.prototype changed by ${what}`);
  assert.equal(Object.getOwnPropertyNames(Array.prototype).sort().join(), ARRAY_KEYS, `Array.prototype changed by ${what}`);
  assert.equal(/** @type {any} */ ({}).polluted, undefined, `a property leaked onto every object by ${what}`);
}

const SECTIONS = ['workload', 'trigger', 'query', 'engine', 'cost', 'report'];

/** What decodeHash must always give. @param {ReturnType<typeof decodeHash>} d @param {string} input */
function checkDecoded(d, input) {
  const why = `for ${JSON.stringify(input.length > 3000 ? input.slice(0, 300) : input)}`;
  assert.ok(d.problem === null || typeof d.problem === 'string', why);
  assert.ok(Array.isArray(d.parts) && d.parts.every((p) => typeof p === 'string' && p.length < 200), why);
  const st = d.state;
  assert.ok(['run', 'timeline', 'compare', 'sweep'].includes(st.view), why);
  assert.ok(Number.isFinite(st.slaMin) && st.slaMin > 0, why);
  assert.ok(Array.isArray(st.pins) && st.pins.length <= 4, why);
  for (const sc of [st.scenario, ...st.pins]) {
    assert.equal(Object.getPrototypeOf(sc), Object.prototype, why);
    for (const k of SECTIONS) assert.ok(sc[k] && typeof sc[k] === 'object' && !Array.isArray(sc[k]), `${k} ${why}`);
    assert.ok(sc.query.window && typeof sc.query.window === 'object' && !Array.isArray(sc.query.window), why);
    assert.ok(sc.sink === null || (typeof sc.sink === 'object' && !Array.isArray(sc.sink)), why);
    assert.equal(typeof sc.seed, 'number', why);
    assert.ok(!Object.hasOwn(sc, '__proto__') && !Object.hasOwn(sc.workload, '__proto__'), why);
    // What the page reads of a scenario before any run (defect 8 was a TypeError here).
    for (const c of CONTROLS) controlValue(sc, c.path);
    describeScenario('en', sc, 0);
    describeScenario('ko', sc, 0);
    applyControl(clone(sc), 'query.window.size_s', 300);
    applyControl(clone(sc), 'workload.lateness.mean_s', 5);
  }
  // What was kept is a state the app can write and read back unchanged.
  const again = decodeHash(encodeHash(st));
  assert.equal(again.problem, null, why);
  assert.deepEqual(again.parts, [], why);
  assert.deepEqual(again.state, st, why);
}

test(`the URL and lesson decoders: ${INPUTS} fuzzed inputs (FUZZ_INPUTS), seed ${SEED} (FUZZ_SEED)`, async () => {
  const r = prng(SEED);
  let hashes = 0;
  let lessonInputs = 0;
  let typedErrors = 0;
  let usable = 0;
  let partial = 0;
  let slowest = 0;
  for (let n = 0; n < INPUTS; n++) {
    if (n % 2 === 0) {
      const input = fuzzHash(r);
      const t0 = performance.now();
      let d;
      try {
        d = decodeHash(input);
      } catch (err) {
        assert.fail(`decodeHash threw ${err} for ${JSON.stringify(input.slice(0, 300))}`);
      }
      const ms = performance.now() - t0;
      slowest = Math.max(slowest, ms);
      assert.ok(ms < BOUND_MS, `decodeHash took ${ms.toFixed(0)} ms`);
      checkDecoded(d, input);
      if (d.parts.length) partial++;
      assertNoPollution(`decodeHash(${JSON.stringify(input.slice(0, 200))})`);
      hashes++;
    } else {
      const input = fuzzLesson(r);
      const t0 = performance.now();
      /** @type {unknown} */
      let value;
      let failed = false;
      try {
        value = decodeLesson(input);
      } catch (err) {
        assert.ok(err instanceof LessonError, `decodeLesson threw ${err} (not a LessonError) for ${input.slice(0, 200)}`);
        failed = true;
        typedErrors++;
      }
      if (!failed) {
        const problems = lessonProblems(value);
        assert.ok(Array.isArray(problems) && problems.every((p) => typeof p === 'string'));
        if (!problems.length) {
          usable++;
          const l = /** @type {import('../../www/lesson.js').Lesson} */ (value);
          for (const v of l.variants) {
            assert.deepEqual(checkScenario(v.scenario).bad, []);
            checkDecoded(decodeHash(encodeHash({ scenario: merge(BASE, v.scenario), view: l.view ?? 'run', slaMin: l.sla_min ?? 15, pins: [] })), input);
          }
          assert.deepEqual(decodeLesson(encodeLesson(l)), l);
        }
      }
      // The page's own entry point (the URL parser decodes `%`, `+` and `&` first): a value
      // lessonProblems can judge, null (no lesson left in the link), or a LessonError.
      await lessonFromUrl(new URL(`http://sim.test/index.html#v=1&lesson=${input}`)).then(
        (v) => assert.ok(Array.isArray(lessonProblems(v))),
        (err) => assert.ok(err instanceof LessonError, `lessonFromUrl rejected with ${err}`),
      );
      const ms = performance.now() - t0;
      slowest = Math.max(slowest, ms);
      assert.ok(ms < BOUND_MS, `the lesson took ${ms.toFixed(0)} ms`);
      assertNoPollution(`a lesson ${input.slice(0, 200)}`);
      lessonInputs++;
    }
  }
  console.log(`decoders fuzz: ${hashes + lessonInputs} inputs (${hashes} hashes, ${partial} partly used with a notice; `
    + `${lessonInputs} inline lessons, ${typedErrors} unreadable as LessonError, ${usable} usable); slowest ${slowest.toFixed(1)} ms; seed ${SEED}`);
  assert.equal(hashes + lessonInputs, INPUTS);
});

test('the corpus itself decodes cleanly (so the mutations start from real inputs)', () => {
  const r = prng(1);
  for (let i = 0; i < 50; i++) {
    const h = realHash(r);
    const d = decodeHash(h);
    assert.equal(d.problem, null);
    assert.deepEqual(d.parts, []);
  }
  for (const l of lessons) {
    assert.deepEqual(lessonProblems(l), []);
    assert.deepEqual(decodeLesson(encodeLesson(l)), l);
  }
});
