// The formats module (crate/formats, www/pkg-formats/): the data file readers and the Arrow
// export, kept out of the core module every page loads. Imported on first use only: when a
// scenario reads a file (a dropped one or a bundled dataset) or a table is exported as Arrow.

/** @type {Promise<typeof import('./pkg-formats/pipeline_sim_formats.js')> | null} */
let mod = null;

/** The formats module, fetched and started once (again after a failed attempt). */
export function formats() {
  mod ??= import('./pkg-formats/pipeline_sim_formats.js').then(async (m) => {
    await m.default();
    return m;
  });
  mod.catch(() => { mod = null; });
  return mod;
}

/**
 * A data file (and its join table) read with a `workload.data` spec, as the bytes the
 * core's `dataFromBytes` takes. A file that cannot be read throws, naming `workload.data`.
 * @param {Uint8Array} bytes @param {Uint8Array | undefined} join @param {string} specJson
 */
export async function loadEncoded(bytes, join, specJson) {
  return (await formats()).load(bytes, join, specJson);
}

/** A report table as the core's `Run.tableBytes` gives it, as an Arrow IPC file. @param {Uint8Array} tableBytes */
export async function arrowIpc(tableBytes) {
  return (await formats()).arrowIpc(tableBytes);
}
