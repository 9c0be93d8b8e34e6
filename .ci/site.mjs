// The served site (git-ignored build output): www/ copied to target/site/, with a brotli
// (quality 11) and a gzip (level 9) copy beside each compressible file, for a static server
// that sends precompressed files (http-server -b -g in `make run`; nginx's gzip_static and
// brotli_static, Caddy's `precompressed` do the same). Compressing once at the highest level
// is what a build step can afford and a server compressing each response cannot: the core
// wasm is ~18 % smaller on the wire than npm `serve`'s on-the-fly brotli (quality 4).
// Only files whose source changed are copied and compressed again, so a run on a built
// tree takes about a second; files gone from www/ are removed.
//   node .ci/site.mjs [OUT_DIR]     default target/site
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'www');
const out = path.resolve(root, process.argv[2] ?? 'target/site');
// Text and wasm compress well; images and archives do not.
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.wasm', '.md', '.svg',
  '.csv', '.log', '.arrow', '.txt', '.map', '.ts']);
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

const wanted = new Set();
let copied = 0;
let compressed = 0;
for (const rel of files(src)) {
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
    const body = fs.readFileSync(from);
    fs.writeFileSync(`${to}.br`, zlib.brotliCompressSync(body, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        [zlib.constants.BROTLI_PARAM_MODE]: path.extname(rel) === '.wasm'
          ? zlib.constants.BROTLI_MODE_GENERIC : zlib.constants.BROTLI_MODE_TEXT,
      },
    }));
    fs.writeFileSync(`${to}.gz`, zlib.gzipSync(body, { level: 9 }));
    compressed += 1;
  }
}
let removed = 0;
for (const rel of files(out)) {
  if (!wanted.has(rel)) {
    fs.rmSync(path.join(out, rel));
    removed += 1;
  }
}
console.log(`[site] ${path.relative(root, out)}: ${wanted.size} files; ${copied} copied, ${compressed} compressed (br, gz), ${removed} removed`);
