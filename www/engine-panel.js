// The engine switch (issue #16): Spark's micro-batches or Flink's event-at-a-time job on the
// same workload, with the controls each engine has, Flink's own figures beside the result,
// and a button that pins both engines at one interval to compare them. Loaded with the
// page's later code (deferred.js), or at once for a Flink scenario: a first result on Spark
// never fetches it. Its labels, English and Korean, are here and join i18n.js's tables.
// It imports nothing of the first result's own code (controls.js): that would split it out
// of main.js's bundle into a file of its own, one more fetch before every first result.
// What each Flink field means, its default and source: docs/scenario.md (`flink`), and the
// engine's model: docs/model.md §13.
import { STRINGS, t } from './i18n.js';
import { duration, int } from './format.js';
import { initRecovery, recoveryControls } from './recovery-panel.js';

/** The Flink section's defaults (crate/src/engine/flink/conf.rs; docs/scenario.md). */
const DEFAULTS = /** @type {Record<string, any>} */ ({
  checkpoint_interval_s: 60,
  watermark_interval_ms: 200,
  allowed_lateness_s: 0,
  late_side_output: false,
  parallelism: 1,
});

/** The scenario's engine (as controls.js's engineOf). @param {any} sc @returns {'spark' | 'flink'} */
const engineOf = (sc) => (sc?.engine?.name === 'flink' ? 'flink' : 'spark');

/** A `flink` field's value in the scenario, or its default. @param {any} sc @param {string} k */
const flinkValue = (sc, k) => sc.flink?.[k] ?? DEFAULTS[k];

/** Writes a `flink` field (null: the field left out, the default). @param {any} sc @param {string} k @param {any} v */
function setFlink(sc, k, v) {
  sc.flink ??= {};
  if (v === null) delete sc.flink[k];
  else sc.flink[k] = v;
}

/**
 * Moves a scenario to `engine` (in place). To Flink: its checkpoint interval starts at the
 * Spark trigger interval, so the two run "at the same interval". To Spark: the `flink`
 * section goes (the core refuses it on Spark), and the trigger takes the checkpoint interval.
 * @param {any} sc @param {'spark' | 'flink'} engine
 */
export function switchEngine(sc, engine) {
  if (engineOf(sc) === engine) return;
  sc.engine ??= {};
  if (engine === 'flink') {
    sc.engine.name = 'flink';
    const every = sc.trigger?.kind === 'scheduled' ? sc.trigger.every_s : sc.trigger?.interval_s;
    sc.flink = { checkpoint_interval_s: every ?? DEFAULTS.checkpoint_interval_s, ...sc.flink };
  } else {
    const every = flinkValue(sc, 'checkpoint_interval_s');
    delete sc.engine.name;
    delete sc.flink;
    sc.trigger = { kind: 'processing_time', interval_s: every };
  }
}

/** The same scenario on the other engine at the same interval. @param {any} sc */
export function onOtherEngine(sc) {
  const other = structuredClone(sc);
  switchEngine(other, engineOf(sc) === 'flink' ? 'spark' : 'flink');
  return other;
}

/**
 * The engine switch and Flink's controls (controls.js draws them, before its own).
 * @param {number[]} stops the trigger interval's keyboard stops (controls.js TRIGGER_STOPS)
 * @returns {import('./controls.js').ControlSpec[]}
 */
export const engineControls = (stops) => [
  {
    path: 'engine.name', kind: 'select', options: ['spark', 'flink'], group: 'engine',
    get: engineOf, set: (sc, v) => switchEngine(sc, v === 'flink' ? 'flink' : 'spark'),
  },
  {
    path: 'flink.checkpoint_interval_s', kind: 'log', min: 1, max: 86400, unit: 's', typed: true, stops,
    group: 'flink', engine: 'flink',
    get: (sc) => flinkValue(sc, 'checkpoint_interval_s'),
    // The trigger follows: on Flink the core takes the checkpoint interval as its trigger.
    set: (sc, v) => {
      setFlink(sc, 'checkpoint_interval_s', v);
      sc.trigger = { kind: 'processing_time', interval_s: v };
    },
  },
  {
    path: 'flink.parallelism', kind: 'log', min: 1, max: 1024, unit: 'count', typed: true, group: 'flink', engine: 'flink',
    get: (sc) => flinkValue(sc, 'parallelism'), set: (sc, v) => setFlink(sc, 'parallelism', v),
  },
  {
    // Shown in seconds (the select's unit); the scenario holds milliseconds.
    path: 'flink.watermark_interval_ms', kind: 'select', options: [0.1, 0.2, 1, 5, 30], group: 'flink', engine: 'flink',
    get: (sc) => flinkValue(sc, 'watermark_interval_ms') / 1000,
    set: (sc, v) => setFlink(sc, 'watermark_interval_ms', Math.round(Number(v) * 1000)),
  },
  {
    path: 'flink.allowed_lateness_s', kind: 'select', options: [0, 60, 300, 900, 3600], typed: true, unit: 's',
    group: 'flink', engine: 'flink',
    get: (sc) => flinkValue(sc, 'allowed_lateness_s'), set: (sc, v) => setFlink(sc, 'allowed_lateness_s', v),
  },
  {
    path: 'flink.late_side_output', kind: 'check', group: 'flink', engine: 'flink',
    get: (sc) => flinkValue(sc, 'late_side_output'), set: (sc, v) => setFlink(sc, 'late_side_output', Boolean(v)),
  },
  {
    path: 'flink.idleness_s', kind: 'select', options: ['off', 10, 30, 60, 300], group: 'flink', engine: 'flink',
    get: (sc) => sc.flink?.idleness_s ?? 'off', set: (sc, v) => setFlink(sc, 'idleness_s', v === 'off' ? null : v),
  },
  // Failure and recovery, and the state store (recovery-panel.js): drawn after the others.
  ...recoveryControls(),
];

const EN = {
  group_engine: 'Engine',
  'f_engine.name': 'Stream processor',
  'h_engine.name': 'Spark runs micro-batches at each trigger; Flink handles each event as it comes and commits its files at each checkpoint.',
  o_spark: 'Spark Structured Streaming 4.3',
  o_flink: 'Flink 2.3 (DataStream)',
  group_flink: 'Flink',
  'f_flink.checkpoint_interval_s': 'Checkpoint interval',
  'h_flink.checkpoint_interval_s': 'How often a checkpoint starts. The exactly-once file sink makes part files visible when it completes: it sets freshness and the number of files.',
  'f_flink.parallelism': 'Parallelism',
  'h_flink.parallelism': 'Window and sink subtasks: each writes its own part file per bucket and checkpoint.',
  'f_flink.watermark_interval_ms': 'Watermark interval',
  'h_flink.watermark_interval_ms': 'pipeline.auto-watermark-interval: how often each source partition emits its watermark (only when it advances).',
  'f_flink.allowed_lateness_s': 'Allowed lateness',
  'h_flink.allowed_lateness_s': 'A window keeps its state this long past its end and fires again for each late element.',
  'f_flink.late_side_output': 'Late events to a side output',
  'h_flink.late_side_output': 'sideOutputLateData: late events go to a side output instead of being dropped (numLateRecordsDropped).',
  'f_flink.idleness_s': 'Idle partition timeout',
  'h_flink.idleness_s': 'withIdleness: a Kafka partition silent this long stops holding the watermark back (min over partitions). Off: one silent partition stalls every window.',
  o_off: 'off',
  engineCompare: 'Compare Spark and Flink at this interval',
  engineCompareHelp: 'Pins this workload on both engines (trigger interval = checkpoint interval, same seed) and opens Compare.',
  flinkTitle: 'Flink job',
  flinkCheckpoints: 'checkpoints completed',
  flinkWatermarks: 'watermarks emitted',
  flinkFirings: 'window firings (watermark / late element)',
  flinkLate: 'late events dropped (numLateRecordsDropped)',
  flinkSide: 'late events to the side output',
  flinkFilesPerCheckpoint: 'most part files in one checkpoint',
  flinkNote: 'Each event is processed within milliseconds; its result is readable once the checkpoint after its window fired completes (docs/model.md §13).',
  flinkStalled: 'No window fired: the watermark did not advance. Is a Kafka partition silent? Set an idle partition timeout.',
  batchesFlink: 'Checkpoints',
  pyflinkTitle: 'Run it on a real cluster: the PyFlink code',
  pyflinkNote: 'The same Kafka events, watermark strategy, window and checkpoint-rolled file sink as a PyFlink DataStream job (python3 job.py --help for its paths).',
  flinkScenario: 'On Flink 2.3: a checkpoint every {interval} (its trigger), parallelism {p}, a watermark every {wm}.',
};

const KO = {
  group_engine: '엔진',
  'f_engine.name': '스트림 처리 엔진',
  'h_engine.name': 'Spark는 트리거마다 마이크로 배치를 실행하고, Flink는 이벤트가 올 때마다 처리한 뒤 체크포인트마다 파일을 커밋합니다.',
  o_spark: 'Spark Structured Streaming 4.3',
  o_flink: 'Flink 2.3 (DataStream)',
  group_flink: 'Flink',
  'f_flink.checkpoint_interval_s': '체크포인트 간격',
  'h_flink.checkpoint_interval_s': '체크포인트가 시작되는 주기. 정확히 한 번(exactly-once) 파일 싱크는 체크포인트가 끝날 때 파트 파일을 보이게 하므로, 이 값이 신선도와 파일 수를 정합니다.',
  'f_flink.parallelism': '병렬도',
  'h_flink.parallelism': '윈도우·싱크 서브태스크 수: 서브태스크마다 버킷과 체크포인트별로 파트 파일을 하나씩 씁니다.',
  'f_flink.watermark_interval_ms': '워터마크 간격',
  'h_flink.watermark_interval_ms': 'pipeline.auto-watermark-interval: 소스 파티션마다 워터마크를 내보내는 주기(앞으로 나아갈 때만).',
  'f_flink.allowed_lateness_s': '허용 지연(allowed lateness)',
  'h_flink.allowed_lateness_s': '윈도우가 끝난 뒤에도 이만큼 상태를 유지하고, 늦게 온 이벤트마다 다시 발화합니다.',
  'f_flink.late_side_output': '늦은 이벤트를 사이드 출력으로',
  'h_flink.late_side_output': 'sideOutputLateData: 늦은 이벤트를 버리지 않고(numLateRecordsDropped) 사이드 출력으로 보냅니다.',
  'f_flink.idleness_s': '유휴 파티션 타임아웃',
  'h_flink.idleness_s': 'withIdleness: 이만큼 조용한 Kafka 파티션은 워터마크(파티션들의 최솟값)를 더 이상 붙잡지 않습니다. 끄면 조용한 파티션 하나가 모든 윈도우를 멈춥니다.',
  o_off: '끔',
  engineCompare: '이 간격에서 Spark와 Flink 비교',
  engineCompareHelp: '같은 워크로드를 두 엔진으로(트리거 간격 = 체크포인트 간격, 같은 시드) 고정하고 비교 탭을 엽니다.',
  flinkTitle: 'Flink 잡',
  flinkCheckpoints: '완료된 체크포인트',
  flinkWatermarks: '내보낸 워터마크',
  flinkFirings: '윈도우 발화(워터마크 / 늦은 이벤트)',
  flinkLate: '버려진 늦은 이벤트(numLateRecordsDropped)',
  flinkSide: '사이드 출력으로 간 늦은 이벤트',
  flinkFilesPerCheckpoint: '한 체크포인트의 최대 파트 파일 수',
  flinkNote: '각 이벤트는 밀리초 안에 처리되지만, 그 결과는 윈도우가 발화한 뒤 다음 체크포인트가 완료되어야 읽을 수 있습니다(docs/model.md §13).',
  flinkStalled: '발화한 윈도우가 없습니다: 워터마크가 나아가지 않았습니다. 조용한 Kafka 파티션이 있나요? 유휴 파티션 타임아웃을 설정하세요.',
  batchesFlink: '체크포인트',
  pyflinkTitle: '실제 클러스터에서 실행하기: PyFlink 코드',
  pyflinkNote: '같은 Kafka 이벤트, 워터마크 전략, 윈도우, 체크포인트마다 롤링되는 파일 싱크를 PyFlink DataStream 잡으로 옮긴 코드입니다(경로는 python3 job.py --help).',
  flinkScenario: 'Flink 2.3에서: 체크포인트 {interval}마다(트리거 역할), 병렬도 {p}, 워터마크 {wm}마다.',
};

Object.assign(STRINGS.en, EN);
Object.assign(STRINGS.ko, KO);

/**
 * @typedef {object} EngineHooks
 * @property {import('./controls.js').ControlSpec[]} specs the engine controls (engineControls)
 * @property {(root: HTMLElement, sc: any, onChange: (path: string, v: any) => void, specs: import('./controls.js').ControlSpec[]) => void} render
 *   controls.js renderControls in the page's language
 * @property {() => import('./i18n.js').Lang} lang
 * @property {() => any} scenario the scenario on show
 * @property {(a: any, b: any) => void} pinBoth pins both and opens Compare
 */

/**
 * The engine panel: the compare button (after the controls), Flink's figures (in the
 * result), and the failure panel (its controls after the others, its figures in the result).
 * @param {EngineHooks} hooks
 */
export function initEngine(hooks) {
  const recovery = initRecovery({ lang: hooks.lang });
  const isFailure = (/** @type {import('./controls.js').ControlSpec} */ c) => c.group === 'failure';
  const button = document.createElement('button');
  button.type = 'button';
  button.id = 'engine-compare';
  const help = document.createElement('small');
  help.id = 'engine-compare-help';
  button.setAttribute('aria-describedby', help.id);
  button.addEventListener('click', () => {
    const sc = structuredClone(hooks.scenario());
    const other = onOtherEngine(sc);
    hooks.pinBoth(...(/** @type {[any, any]} */ (engineOf(sc) === 'spark' ? [sc, other] : [other, sc])));
  });
  const box = document.createElement('div');
  box.className = 'control engine-compare';
  box.append(button, help);
  const figures = document.createElement('section');
  figures.id = 'flink';
  figures.hidden = true;
  figures.setAttribute('aria-labelledby', 'flink-h');
  /** The last run shown (redrawn in another language). @type {import('./run-result.js').RunResult | null} */
  let last = null;

  // The engine's controls: a root of their own before the others; the failure's after them.
  const root = document.createElement('div');
  root.id = 'engine-controls';
  document.getElementById('control-list')?.before(root);
  const after = document.createElement('div');
  after.id = 'recovery-controls';
  document.getElementById('control-list')?.after(after);

  /** Puts the button under the engine switch and the figures after the result. */
  function place() {
    const lang = hooks.lang();
    button.textContent = t(lang, 'engineCompare');
    help.textContent = t(lang, 'engineCompareHelp');
    const engine = root.querySelector('.control[data-path="engine.name"]');
    if (engine && engine.nextSibling !== box) engine.after(box);
    const summary = document.getElementById('summary');
    if (summary && figures.previousSibling !== summary) summary.after(figures);
  }

  /**
   * Shows a run's Flink figures (its `flink` summary), or hides them for Spark; and its
   * recovery and state memory figures (recovery-panel.js), or hides them.
   * @param {import('./run-result.js').RunResult | null} r the run shown
   */
  function show(r) {
    recovery.show(r);
    last = r;
    const flink = r?.flink ?? null;
    const summary = r?.summary ?? null;
    figures.hidden = !flink;
    const lang = hooks.lang();
    // Flink's rows of the batch table are its checkpoints (docs/model.md §13).
    const heading = document.querySelector('#batches-h span');
    if (heading) heading.textContent = t(lang, flink ? 'batchesFlink' : 'batches');
    // The code to run it: PyFlink's for a Flink job (worker.js).
    for (const [sel, spark, fl] of [['#pyspark summary', 'pysparkTitle', 'pyflinkTitle'], ['#pyspark p.muted', 'pysparkNote', 'pyflinkNote']]) {
      const el = document.querySelector(sel);
      if (el) el.textContent = t(lang, flink ? fl : spark);
    }
    if (!flink) return;
    const text = document.getElementById('scenario-text');
    if (text && !text.dataset.flink) {
      text.dataset.flink = '1';
      text.append(` ${t(lang, 'flinkScenario', {
        interval: duration(flink.checkpoint_interval_s, lang),
        p: flink.parallelism,
        wm: duration(flink.watermark_interval_ms / 1000, lang),
      })}`);
    }
    const h = document.createElement('h2');
    h.id = 'flink-h';
    h.textContent = t(lang, 'flinkTitle');
    const dl = document.createElement('dl');
    /** @type {[string, string][]} */
    const rows = [
      ['flinkCheckpoints', int(flink.checkpoints, lang)],
      ['flinkWatermarks', int(flink.watermarks, lang)],
      ['flinkFirings', `${int(flink.watermark_firings, lang)} / ${int(flink.element_firings, lang)}`],
      ['flinkLate', int(flink.late_dropped, lang)],
      ['flinkSide', int(flink.late_side_output, lang)],
      ['flinkFilesPerCheckpoint', int(flink.max_files_per_checkpoint, lang)],
    ];
    for (const [k, v] of rows) {
      const dt = document.createElement('dt');
      dt.textContent = t(lang, k);
      const dd = document.createElement('dd');
      dd.textContent = v;
      dd.dataset.flink = k;
      // As the result's other figures (metric-list.js): a card each.
      const div = document.createElement('div');
      div.append(dt, dd);
      dl.append(div);
    }
    const note = document.createElement('p');
    note.className = 'muted';
    note.textContent = `${t(lang, 'flinkNote')} ${t(lang, 'f_flink.checkpoint_interval_s')}: ${duration(flink.checkpoint_interval_s, lang)}.`;
    /** @type {HTMLElement[]} */
    const parts = [h, dl, note];
    if (!flink.watermark_firings && (summary?.events ?? 0) > 0) {
      const stall = document.createElement('p');
      stall.className = 'warn';
      stall.id = 'flink-stalled';
      stall.textContent = t(lang, 'flinkStalled');
      parts.push(stall);
    }
    figures.replaceChildren(...parts);
  }

  return {
    /** Draws the engine's controls anew. @param {(path: string, v: any) => void} onChange */
    draw(onChange) {
      hooks.render(root, hooks.scenario(), onChange, hooks.specs.filter((c) => !isFailure(c)));
      hooks.render(after, hooks.scenario(), onChange, hooks.specs.filter(isFailure));
      place();
    },
    show,
    /** Redraws in the current language. */
    redraw() {
      show(last);
    },
  };
}
