// The served site (git-ignored build output): www/ copied to target/site/, with a brotli
// (quality 11) and a gzip (level 9) copy beside each compressible file, for a static server
// that sends precompressed files (http-server -b -g in `make run`; nginx's gzip_static and
// brotli_static, Caddy's `precompressed` do the same). Compressing once at the highest level
// is what a build step can afford and a server compressing each response cannot: the core
// wasm is ~18 % smaller on the wire than npm `serve`'s on-the-fly brotli (quality 4).
// Only files whose source changed are copied and compressed again, so a run on a built
// tree takes about a second; files gone from www/ are removed.
//
// The pages' scripts are served bundled and minified (esbuild, package-lock.json): each
// page's entry module (ENTRIES) with what it imports, code shared between entries and code
// imported lazily in chunks (chunk-HASH.js), beside the entries at the site's top level so
// every `new URL('./x', import.meta.url)` still resolves where it did. Measured with
// `node tests/bench/page-weight.mjs`: the ES modules one by one cost the app's first result
// ~30 files and their headers, unminified. The wasm-bindgen glue (pkg/, pkg-formats/) stays
// a module of its own (its wasm is found beside it). Every module of www/ is also copied as
// it is, for a page or a reader that imports one directly (api.js, docs/*.js). Each bundle
// has its source map beside it (X.js.map, with the sources), not linked from the bundle (the
// link would cost every reader bytes): add it in the browser's developer tools to debug.
// target/site/.bundle.json lists each bundled file's modules of www/ (the tests read it; the
// server sends no dotfiles).
//   node .ci/site.mjs [OUT_DIR]     default target/site
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { gzipAsync } from '@gfx/zopfli';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'www');
const out = path.resolve(root, process.argv[2] ?? 'target/site');
// Text and wasm compress well; images and archives do not.
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.wasm', '.md', '.svg',
  '.csv', '.log', '.arrow', '.txt', '.map', '.ts']);
// The pages' code, whose gzip copy Zopfli makes (see compress).
const CODE = new Set(['.html', '.js', '.css', '.wasm']);
// Below this a compressed copy saves less than its headers cost.
const MIN_BYTES = 1024;

/** Every file under `dir`, as paths relative to it. @param {string} dir @returns {string[]} */
function files(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

/** True when `dst` is missing or older than `srcStat`. @param {string} dst @param {fs.Stats} srcStat */
function stale(dst, srcStat) {
  try {
    return fs.statSync(dst).mtimeMs < srcStat.mtimeMs;
  } catch {
    return true;
  }
}

/** The pages' entry modules (the HTML pages', the workers', the blog element's), all at
 * the top level of www/. */
const ENTRIES = ['main.js', 'embed.js', 'gallery.js', 'worker.js', 'sweep-worker.js', 'pipeline-sim.js'];

/** The bundles: output path (relative to `out`) → contents and the www/ modules in it. Each
 * entry is bundled on its own (its lazy imports split into chunks), so a page's first result
 * fetches its own code in few files rather than the many small chunks that code shared in
 * different ways between all the entries would make. */
function bundle() {
  /** @type {Map<string, {body: Uint8Array, modules: string[]}>} */
  const outputs = new Map();
  for (const entry of ENTRIES) {
    const result = esbuild.buildSync({
      absWorkingDir: src,
      entryPoints: [entry],
      bundle: true,
      splitting: true,
      format: 'esm',
      minify: true,
      target: 'es2022',
      outdir: out,
      outbase: src,
      chunkNames: 'chunk-[hash]',
      external: ['./pkg/*', './pkg-formats/*', './pkg-flink/*'],
      // The import map's name for the charting library (the vendored, minified copy).
      alias: { uplot: './vendor/uPlot.esm.js' },
      // Licence comments (uPlot's) kept, at the end of each file that holds the code.
      legalComments: 'eof',
      sourcemap: 'external',
      sourcesContent: true,
      metafile: true,
      write: false,
      logLevel: 'warning',
    });
    const meta = /** @type {esbuild.Metafile} */ (result.metafile);
    for (const f of result.outputFiles) {
      const rel = path.relative(out, f.path);
      const m = meta.outputs[path.relative(src, f.path)];
      const modules = m ? Object.keys(m.inputs).map((i) => path.relative(src, path.resolve(src, i))) : [];
      const seen = outputs.get(rel);
      if (seen && !Buffer.from(seen.body).equals(Buffer.from(f.contents))) {
        throw new Error(`[site] two bundles write ${rel} with different contents`);
      }
      outputs.set(rel, { body: f.contents, modules });
    }
  }
  return outputs;
}

/**
 * Writes the brotli and gzip copies of `body` beside `to`. The gzip copy is made by Zopfli
 * (npm @gfx/zopfli, 5 iterations) for the pages' code: a gzip stream any client reads, ~5 %
 * smaller than zlib's level 9 (the core wasm: 197,342 against 207,627 B), for a host that
 * sends gzip only. Data files (MBs, never part of a first result) take zlib's level 9.
 * @param {string} to @param {Uint8Array} body
 */
async function compress(to, body) {
  fs.writeFileSync(`${to}.br`, zlib.brotliCompressSync(body, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      [zlib.constants.BROTLI_PARAM_MODE]: path.extname(to) === '.wasm'
        ? zlib.constants.BROTLI_MODE_GENERIC : zlib.constants.BROTLI_MODE_TEXT,
    },
  }));
  fs.writeFileSync(`${to}.gz`, CODE.has(path.extname(to))
    ? await gzipAsync(body, { numiterations: 5 }) : zlib.gzipSync(body, { level: 9 }));
}

const wanted = new Set();
let copied = 0;
let compressed = 0;
const bundled = bundle();
/**
 * A file served minified on its own (not bundled): a page without its indentation (a line's
 * leading blanks; <pre> blocks kept), the wasm-bindgen glue, a style sheet with its
 * @imports inlined (style.css takes uPlot's rules in: one request less); null for others.
 * @param {string} rel @returns {Uint8Array | null}
 */
function minified(rel) {
  const text = () => fs.readFileSync(path.join(src, rel), 'utf8');
  if (path.extname(rel) === '.html') {
    return Buffer.from(text().split(/(<pre[\s\S]*?<\/pre>)/)
      .map((part, i) => (i % 2 ? part : part.replace(/\n[ \t]+/g, '\n'))).join(''));
  }
  if (/^pkg(-formats)?\/[^/]+\.js$/.test(rel)) {
    return Buffer.from(esbuild.transformSync(text(), {
      loader: 'js', minify: true, legalComments: 'inline', format: 'esm', target: 'es2022',
    }).code);
  }
  if (path.extname(rel) === '.css') {
    return esbuild.buildSync({
      absWorkingDir: src, entryPoints: [rel], bundle: true, minify: true, write: false,
      outfile: path.join(out, rel), legalComments: 'inline', logLevel: 'warning',
    }).outputFiles[0].contents;
  }
  return null;
}
for (const rel of files(src)) {
  const body = minified(rel);
  if (body) bundled.set(rel, { body, modules: [rel] });
}
for (const rel of files(src)) {
  if (bundled.has(rel)) continue;
  const from = path.join(src, rel);
  const to = path.join(out, rel);
  const st = fs.statSync(from);
  wanted.add(rel);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  if (stale(to, st)) {
    fs.copyFileSync(from, to);
    copied += 1;
  }
  if (!COMPRESSIBLE.has(path.extname(rel)) || st.size < MIN_BYTES) continue;
  wanted.add(`${rel}.br`);
  wanted.add(`${rel}.gz`);
  if (stale(`${to}.br`, st) || stale(`${to}.gz`, st)) {
    await compress(to, fs.readFileSync(from));
    compressed += 1;
  }
}
// The bundles are made each time (~0.1 s) and written only when their bytes changed.
let rebuilt = 0;
for (const [rel, { body }] of bundled) {
  const to = path.join(out, rel);
  wanted.add(rel);
  const small = !COMPRESSIBLE.has(path.extname(rel)) || body.length < MIN_BYTES;
  if (!small) {
    wanted.add(`${rel}.br`);
    wanted.add(`${rel}.gz`);
  }
  let same = false;
  try {
    same = Buffer.from(body).equals(fs.readFileSync(to)) && (small || fs.existsSync(`${to}.br`));
  } catch {
    same = false;
  }
  if (same) continue;
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.writeFileSync(to, body);
  if (!small) await compress(to, body);
  rebuilt += 1;
}
const index = Object.fromEntries([...bundled].filter(([rel]) => rel.endsWith('.js'))
  .map(([rel, { modules }]) => [rel, modules]));
fs.writeFileSync(path.join(out, '.bundle.json'), `${JSON.stringify(index, null, 1)}\n`);
wanted.add('.bundle.json');
let removed = 0;
for (const rel of files(out)) {
  if (!wanted.has(rel)) {
    fs.rmSync(path.join(out, rel));
    removed += 1;
  }
}
console.log(`[site] ${path.relative(root, out)}: ${wanted.size} files; ${copied} copied, ${compressed} compressed (br, gz), ${rebuilt} bundles written, ${removed} removed`);
