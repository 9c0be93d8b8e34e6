// The fuzz pass, native against wasm: the release CLI makes mutated inputs for every
// parser (`pipeline-sim fuzz --emit`) and records what the native core did with each
// (a report digest, or a refusal and its field); the wasm modules (www/pkg, the page's
// core, www/pkg-formats, its file readers, and www/pkg-flink for Flink scenarios) are given
// the same inputs as the page gives them and must do the same: the same digest,
// the same refused field — and never trap. A trap re-instantiates the module (a fresh
// import) so that one bad input cannot hide the next.
// FUZZ_WASM_INPUTS sets the inputs per target (default 400).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './harness.mjs';
import { needsFlink } from '../../www/flink-module.js';

const OUT = path.join(ROOT, 'test-results', 'fuzz-wasm');
const PKG = path.join(ROOT, 'www', 'pkg');
const PKG_FORMATS = path.join(ROOT, 'www', 'pkg-formats');
const PKG_FLINK = path.join(ROOT, 'www', 'pkg-flink');
const INPUTS = Number(process.env.FUZZ_WASM_INPUTS ?? 400);
const TARGETS = ['scenario', 'flink_scenario', 'mapping', 'csv', 'jsonl', 'json', 'access_log', 'arrow'];

let generation = 0;
/** Fresh instances of the page's wasm modules: the core, the formats and the Flink module. */
async function freshModule() {
  generation += 1;
  /** @param {string} dir @param {string} name */
  const instance = async (dir, name) => {
    const m = await import(`${pathToFileURL(path.join(dir, `${name}.js`)).href}?instance=${generation}`);
    m.initSync({ module: readFileSync(path.join(dir, `${name}_bg.wasm`)) });
    return m;
  };
  return {
    core: await instance(PKG, 'pipeline_sim'),
    formats: await instance(PKG_FORMATS, 'pipeline_sim_formats'),
    flink: await instance(PKG_FLINK, 'pipeline_sim'),
  };
}

/** @param {string} hex */
const bytes = (hex) => Uint8Array.from(Buffer.from(hex, 'hex'));
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** @param {string} hex */
const text = (hex) => utf8.decode(Buffer.from(hex, 'hex'));
/** Whether the page could pass this text at all (a JS string is always valid Unicode). @param {string} hex */
const isText = (hex) => { try { text(hex); return true; } catch { return false; } };

/**
 * What the wasm module makes of one emitted input, in the native outcome's terms.
 * @param {any} m @param {any} c
 */
function wasmOutcome(m, c) {
  const refused = (/** @type {any} */ e) => {
    if (e instanceof WebAssembly.RuntimeError) throw e;
    return `refused:${String(e?.message ?? e)}`;
  };
  if (c.scenario !== undefined) {
    try {
      // A scenario that is Flink's, has a flink section or a failure goes to the extended
      // module, as the page's workers send it (the page's own rule: flink-module.js).
      const sc = text(c.scenario);
      let flink = false;
      try {
        flink = needsFlink(JSON.parse(sc));
      } catch { /* the core names the error */ }
      const run = (flink ? m.flink : m.core).simulate(sc);
      const d = run.digest();
      run.free();
      return `ran:${d}`;
    } catch (e) { return refused(e); }
  }
  let data;
  try {
    // As the workers do: the formats module reads, the core takes its bytes.
    data = m.core.dataFromBytes(m.formats.load(bytes(c.file), c.join ? bytes(c.join) : undefined, text(c.spec)));
  } catch (e) { return refused(e); }
  try {
    const spec = JSON.parse(text(c.spec));
    const run = data.simulate(JSON.stringify({ seed: 1, workload: { data: spec } }));
    const d = run.digest();
    run.free();
    return `ran:${d}`;
  } catch (e) { return refused(e); } finally { data.free(); }
}

for (const target of TARGETS) {
  test(`fuzz inputs agree native and wasm: ${target}`, async () => {
    mkdirSync(OUT, { recursive: true });
    const file = path.join(OUT, `${target}.jsonl`);
    // Small runs: every accepted input is simulated on both sides.
    execFileSync(path.join(ROOT, 'target/release/pipeline-sim'), [
      'fuzz', '--target', target, '--inputs', String(INPUTS), '--seed', '21', '--max-events', '20000',
      '--out', OUT, '--emit', file,
    ], { stdio: ['ignore', 'pipe', 'inherit'] });
    const cases = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(cases.length >= INPUTS, `${cases.length} inputs emitted`);
    let m = await freshModule();
    let compared = 0, ran = 0;
    /** @type {string[]} */
    const diffs = [];
    for (const [i, c] of cases.entries()) {
      // Too large to simulate here, or bytes that are no text (the page reads a scenario
      // or a mapping as a JS string, so the core never sees them).
      if (c.outcome === 'large' || !isText(c.scenario ?? c.spec)) continue;
      let got;
      try {
        got = wasmOutcome(m, c);
      } catch (e) {
        got = `trap: ${/** @type {Error} */ (e).message}`;
        m = await freshModule();
      }
      compared += 1;
      if (got.startsWith('ran:')) ran += 1;
      if (got !== c.outcome) diffs.push(`#${i}: native ${c.outcome.slice(0, 200)} | wasm ${got.slice(0, 200)}`);
    }
    console.log(`# ${target}: ${compared} inputs compared, ${ran} simulated, ${diffs.length} differences`);
    assert.ok(ran > 0, 'no input was simulated: the comparison would prove nothing');
    assert.deepEqual(diffs.slice(0, 10), [], `${diffs.length} of ${compared} inputs differ (inputs in ${file})`);
  });
}
