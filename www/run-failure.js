// What to tell the person when a request to the simulator fails: a WorkerFailure (the
// worker crashed or went silent and was replaced) in words, with the fields to change;
// any other error (a field the core refused, say) as its own message.
import { t } from './i18n.js';
import { WorkerFailure } from './sim-client.js';

/** @param {import('./i18n.js').Lang} lang @param {unknown} err @returns {string} */
export function failureText(lang, err) {
  if (err instanceof WorkerFailure) {
    const field = (/** @type {string} */ path, /** @type {string} */ key) => `${t(lang, key)} (${path})`;
    const fields = t(lang, 'failFields', {
      duration: field('workload.duration_s', 'f_workload.duration_s'),
      rate: field('workload.rate_per_s', 'f_workload.rate_per_s'),
      trigger: field('trigger', 'f_trigger.every'),
    });
    const stage = t(lang, `stage_${err.stage}`);
    return err.kind === 'stuck'
      ? t(lang, 'runStuck', { stage, seconds: Math.round(err.silentMs / 1000), fields })
      : t(lang, 'runCrashed', { stage, fields });
  }
  return err instanceof Error ? err.message : String(err);
}

/** Whether an error is a WorkerFailure. @param {unknown} err */
export function isFailure(err) {
  return err instanceof WorkerFailure;
}
