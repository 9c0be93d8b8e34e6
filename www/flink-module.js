// The Flink module (www/pkg-flink/: the core with the Flink engine), fetched the first time a
// scenario needs it, and which scenarios do. Shared by the workers (worker-core.js) and the
// JS API (api.js); it loads nothing by itself.

/** The Flink module's load, started by the first Flink scenario. @type {Promise<any> | null} */
let flink = null;

/** Whether a scenario runs on Flink (`engine.name`, docs/scenario.md). @param {any} sc */
export function isFlink(sc) {
  return sc?.engine?.name === 'flink';
}

/**
 * Whether `sc` needs the extended module (the Flink module): a Flink scenario, one with a
 * `flink` section (which a Spark scenario may carry and the native core ignores, but the
 * core module refuses: it has no Flink settings to read), or one with a `failure` to inject
 * (the core module has no failure injection). @param {any} sc
 */
export function needsFlink(sc) {
  return isFlink(sc) || (sc != null && typeof sc === 'object' && (sc.flink !== undefined || sc.failure != null));
}

/**
 * The Flink module, loaded and initialised once. One that did not load (a network error) is
 * tried again with the next call; its failure is a plain error, not a trap.
 * @returns {Promise<any>}
 */
export function flinkModule() {
  flink ??= import('./pkg-flink/pipeline_sim.js')
    .then(async (m) => {
      await m.default();
      return m;
    })
    .catch((err) => {
      flink = null;
      throw new Error(`engine.name: the Flink module could not be loaded (${err instanceof Error ? err.message : err}); try again`);
    });
  return flink;
}

