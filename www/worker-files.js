// Files a worker can read for `workload.data`: those the page gave it (dropped files never
// leave the browser) and bundled datasets fetched from this site (same origin only).

/**
 * A file's bytes: a given one, or a bundled dataset fetched once and kept in `files`.
 * @param {Map<string, Uint8Array>} files @param {string} name
 */
export async function bytesOf(files, name) {
  const have = files.get(name);
  if (have) return have;
  if (/^datasets\/[\w./-]+$/.test(name) && !name.includes('..')) {
    const r = await fetch(new URL(`./${name}`, self.location.href));
    if (!r.ok) throw new Error(`workload.data: the bundled file ${name} could not be read (HTTP ${r.status})`);
    const b = new Uint8Array(await r.arrayBuffer());
    files.set(name, b);
    return b;
  }
  throw new Error(`workload.data: the file '${name}' is not open here: choose it again (your files stay in this browser and are not part of a link)`);
}
