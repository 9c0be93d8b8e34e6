// The formats module (crate/formats, www/pkg-formats/): the data file readers, the Arrow and
// PySpark exports and the default scenario as JSON, kept out of the core module every page
// loads. Imported on first use only: when a scenario reads a file (a dropped one or a
// bundled dataset), a table is exported as Arrow, a PySpark script is asked for, or the JS
// API's defaultScenario() is called.

/** @type {Promise<typeof import('./pkg-formats/pipeline_sim_formats.js')> | null} */
let mod = null;

/**
 * The formats module, fetched and started once (again after a failed attempt). A failure
 * names the field that needed it: `workload.data` for a file, `export` for Arrow.
 * @param {string} field
 */
export function formats(field) {
  const m = mod ??= import('./pkg-formats/pipeline_sim_formats.js').then(async (f) => {
    await f.default();
    return f;
  });
  return m.catch((err) => {
    if (mod === m) mod = null;
    throw new Error(`${field}: the file formats module could not be loaded (${err instanceof Error ? err.message : String(err)}); try again`);
  });
}

/**
 * A data file (and its join table) read with a `workload.data` spec, as the bytes the
 * core's `dataFromBytes` takes. A file that cannot be read throws, naming `workload.data`.
 * @param {Uint8Array} bytes @param {Uint8Array | undefined} join @param {string} specJson
 */
export async function loadEncoded(bytes, join, specJson) {
  return (await formats('workload.data')).load(bytes, join, specJson);
}

/** A report table as the core's `Run.tableBytes` gives it, as an Arrow IPC file. @param {Uint8Array} tableBytes */
export async function arrowIpc(tableBytes) {
  return (await formats('export')).arrowIpc(tableBytes);
}

/** A runnable PySpark script of the scenario (JSON); a bad scenario throws, naming its field. @param {string} scenarioJson */
export async function pysparkScript(scenarioJson) {
  return (await formats('export')).pysparkScript(scenarioJson);
}

/** Every field of the scenario with its default (seed 42), as JSON. */
export async function defaultScenarioJson() {
  return (await formats('defaultScenario')).defaultScenario();
}
