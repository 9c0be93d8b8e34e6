// Failure and recovery (issue #17): the controls that inject a driver failure (when, the
// restart delay, where the batch in flight stopped), how the query writes (the sink's own
// streaming write or foreachBatch), the state store provider, and the run's recovery figures
// beside the result. Loaded with the page's later code (deferred.js); a scenario with a
// failure runs in the extended module (www/pkg-flink/, flink-module.js). Its labels, English
// and Korean, are here and join i18n.js's tables. It imports nothing of the first result's
// own code (controls.js), as engine-panel.js does not. The rule and every figure:
// docs/model.md §14; the fields: docs/scenario.md (`failure`, `sink.writer`).
import { STRINGS, t } from './i18n.js';
import { bytes, clock, duration, int } from './format.js';
import { timeChart } from './charts/time-chart.js';
import { metricItems } from './metric-list.js';

/** A new failure's fields: half-way through the workload, 0.2 s into the batch there. @param {any} sc */
function newFailure(sc) {
  const span = Number(sc.workload?.duration_s ?? 600);
  return { at_s: Math.round(span / 2) + 0.2, restart_s: 300, when: 'after_write' };
}

/** Writes a `failure` field, turning the failure on. @param {any} sc @param {string} k @param {any} v */
function setFailure(sc, k, v) {
  sc.failure ??= newFailure(sc);
  sc.failure[k] = v;
}

/** The failure and state store controls (controls.js draws them). @returns {import('./controls.js').ControlSpec[]} */
export const recoveryControls = () => [
  {
    path: 'failure.on', kind: 'check', group: 'failure', engine: 'spark',
    get: (sc) => sc.failure != null,
    set: (sc, v) => {
      if (v) sc.failure ??= newFailure(sc);
      else delete sc.failure;
    },
  },
  {
    path: 'failure.at_s', kind: 'log', min: 1, max: 2_592_000, unit: 's', typed: true, group: 'failure', engine: 'spark',
    get: (sc) => sc.failure?.at_s ?? newFailure(sc).at_s, set: (sc, v) => setFailure(sc, 'at_s', v),
  },
  {
    path: 'failure.restart_s', kind: 'select', options: [0, 60, 300, 900, 3600], unit: 's', typed: true,
    group: 'failure', engine: 'spark',
    get: (sc) => sc.failure?.restart_s ?? 300, set: (sc, v) => setFailure(sc, 'restart_s', v),
  },
  {
    path: 'failure.when', kind: 'select', options: ['before_write', 'after_write', 'commit_log'], group: 'failure', engine: 'spark',
    get: (sc) => sc.failure?.when ?? 'after_write', set: (sc, v) => setFailure(sc, 'when', v),
  },
  {
    // How the query writes: a sink is needed for it to matter (an empty sink is parquet).
    path: 'sink.writer', kind: 'select', options: ['sink', 'foreach_batch_append', 'foreach_batch_idempotent'],
    group: 'failure', engine: 'spark',
    get: (sc) => sc.sink?.writer ?? 'sink',
    set: (sc, v) => {
      sc.sink ??= {};
      sc.sink.writer = v;
    },
  },
  {
    path: 'engine.state_store', kind: 'select', options: ['hdfs', 'rocksdb'], group: 'failure', engine: 'spark',
    get: (sc) => sc.engine?.state_store ?? 'hdfs',
    set: (sc, v) => {
      sc.engine ??= {};
      if (v === 'hdfs') delete sc.engine.state_store;
      else sc.engine.state_store = v;
    },
  },
];

const EN = {
  group_failure: 'Failure and recovery',
  'f_failure.on': 'Kill the driver once',
  'h_failure.on': 'The query fails, restarts on its checkpoint, re-runs the batch in flight with the same offsets, then reads what piled up.',
  'f_failure.at_s': 'Failure at',
  'h_failure.at_s': 'Time after the workload starts. A moment inside a batch fails that batch; between batches, nothing is re-run.',
  'f_failure.restart_s': 'Restart delay',
  'h_failure.restart_s': 'Detecting the failure, retrying the job, starting a cluster (an assumption: 5 min). The state store restore comes on top.',
  'f_failure.when': 'The batch in flight stopped',
  'h_failure.when': 'Before the sink wrote; after its tasks wrote files but before the sink committed; or after the commit, while writing commits/N.',
  o_before_write: 'before the write',
  o_after_write: 'after the write, before the sink commit',
  o_commit_log: 'after the sink commit',
  'f_sink.writer': 'How the query writes',
  'h_sink.writer': 'The format\'s own streaming sink is exactly-once; foreachBatch with a plain append writes a re-run batch twice; keyed on the batch id (txnVersion, MERGE) it does not.',
  o_sink: 'the streaming sink (writeStream.format)',
  o_foreach_batch_append: 'foreachBatch, plain append',
  o_foreach_batch_idempotent: 'foreachBatch, keyed on the batch id',
  'f_engine.state_store': 'State store',
  'h_engine.state_store': 'HDFS-backed (default): state on the executor heap, delta and snapshot files. RocksDB: state on local disk, memory bounded by its block cache.',
  o_hdfs: 'HDFS-backed (default)',
  o_rocksdb: 'RocksDB',
  recoveryTitle: 'Failure and recovery',
  recDuring: 'the failure hit',
  recDuringBatch: 'batch {n} in flight (re-run)',
  recDuringIdle: 'between batches (nothing re-run)',
  recDuringAfter: 'after the last batch (no effect)',
  recOutage: 'restart delay + state restore',
  recNoCommit: 'no new result visible for',
  recBacklog: 'rows waiting at the first new batch',
  recCatchUp: 'back in step after',
  recCatchUpNever: 'not before the run ended',
  recP95: 'latency p95 while recovering',
  recDuplicates: 'duplicate rows in the table',
  recOrphans: 'orphan files (outside the table)',
  recSkipped: 'the re-run\'s write was skipped: the sink had committed the batch',
  recNote: 'Spark re-runs the failed batch with the same offsets on the state the committed batches left (docs/model.md §14).',
  memTitle: 'State memory',
  memPerRow: 'bytes per state row',
  memLine: 'the line: what the executors can hold',
  memPeak: 'peak state',
  memOom: 'Out of memory: batch {batch} (at {at}) held {rows} state rows, past the line of {line} rows; Spark ends the query with java.lang.OutOfMemoryError, and the events after it were not processed. A watermark with event time among the keys, dropDuplicatesWithinWatermark, or RocksDB keeps it within bounds.',
  memCache: 'From batch {batch} (at {at}) the state on disk is larger than RocksDB\'s block cache: reads go to local disk (slower), nothing fails.',
  memNote: 'One version of the state, measured per row on Spark 4.3 (HDFS-backed: on the executor heap; RocksDB: on local disk); the line is 0.8 × (heap − 300 MiB) per executor, an estimate from one measured failure (docs/model.md §7).',
  memSeries: 'state memory',
  memLineSeries: 'the line',
  memRows: '{n} rows',
};

const KO = {
  group_failure: '장애와 복구',
  'f_failure.on': '드라이버를 한 번 죽이기',
  'h_failure.on': '쿼리가 실패한 뒤 체크포인트에서 다시 시작해, 실행 중이던 배치를 같은 오프셋으로 다시 실행하고 그동안 쌓인 데이터를 읽습니다.',
  'f_failure.at_s': '장애 시점',
  'h_failure.at_s': '워크로드 시작 후 시간. 배치가 도는 중이면 그 배치가 실패하고, 배치 사이면 다시 실행할 배치가 없습니다.',
  'f_failure.restart_s': '재시작 지연',
  'h_failure.restart_s': '장애 감지, 잡 재시도, 클러스터 기동 시간(가정: 5분). 상태 저장소 복원 시간이 더해집니다.',
  'f_failure.when': '실행 중이던 배치가 멈춘 곳',
  'h_failure.when': '싱크가 쓰기 전; 태스크가 파일을 썼지만 싱크가 커밋하기 전; 커밋한 뒤 commits/N을 쓰던 중.',
  o_before_write: '쓰기 전',
  o_after_write: '쓴 뒤, 싱크 커밋 전',
  o_commit_log: '싱크 커밋 뒤',
  'f_sink.writer': '쿼리가 쓰는 방식',
  'h_sink.writer': '포맷의 스트리밍 싱크는 정확히 한 번입니다. foreachBatch로 그냥 append하면 다시 실행된 배치를 두 번 쓰고, 배치 ID로 멱등하게 쓰면(txnVersion, MERGE) 그렇지 않습니다.',
  o_sink: '스트리밍 싱크(writeStream.format)',
  o_foreach_batch_append: 'foreachBatch, 단순 append',
  o_foreach_batch_idempotent: 'foreachBatch, 배치 ID로 멱등 쓰기',
  'f_engine.state_store': '상태 저장소',
  'h_engine.state_store': 'HDFS 기반(기본): 상태를 실행기 힙에 두고 delta·snapshot 파일을 씁니다. RocksDB: 상태를 로컬 디스크에 두고 메모리는 블록 캐시로 제한됩니다.',
  o_hdfs: 'HDFS 기반(기본)',
  o_rocksdb: 'RocksDB',
  recoveryTitle: '장애와 복구',
  recDuring: '장애가 난 때',
  recDuringBatch: '배치 {n} 실행 중(다시 실행)',
  recDuringIdle: '배치 사이(다시 실행 없음)',
  recDuringAfter: '마지막 배치 뒤(영향 없음)',
  recOutage: '재시작 지연 + 상태 복원',
  recNoCommit: '새 결과가 보이지 않은 시간',
  recBacklog: '첫 새 배치에서 기다리던 행',
  recCatchUp: '다시 따라잡기까지',
  recCatchUpNever: '실행이 끝날 때까지 못 따라잡음',
  recP95: '복구 중 지연 p95',
  recDuplicates: '테이블의 중복 행',
  recOrphans: '고아 파일(테이블 밖)',
  recSkipped: '싱크가 이미 배치를 커밋해서 다시 실행한 배치의 쓰기를 건너뛰었습니다',
  recNote: 'Spark는 실패한 배치를 같은 오프셋으로, 커밋된 배치들이 남긴 상태 위에서 다시 실행합니다(docs/model.md §14).',
  memTitle: '상태 메모리',
  memPerRow: '상태 행당 바이트',
  memLine: '한계선: 실행기들이 담을 수 있는 양',
  memPeak: '최대 상태',
  memOom: '메모리 부족: 배치 {batch}({at})의 상태가 {rows}행으로 한계선 {line}행을 넘었습니다. Spark는 java.lang.OutOfMemoryError로 쿼리를 끝내고, 그 뒤의 이벤트는 처리되지 않았습니다. 이벤트 시간을 키에 넣은 워터마크, dropDuplicatesWithinWatermark, 또는 RocksDB로 상태를 묶어 둘 수 있습니다.',
  memCache: '배치 {batch}({at})부터 디스크의 상태가 RocksDB 블록 캐시보다 큽니다. 읽기가 로컬 디스크로 가서 느려지지만, 실패하지는 않습니다.',
  memNote: '상태 한 버전의 크기로, Spark 4.3에서 행당 측정한 값입니다(HDFS 기반: 실행기 힙, RocksDB: 로컬 디스크). 한계선은 실행기마다 0.8 × (힙 − 300 MiB)이며, 한 번 측정한 실패에서 나온 추정치입니다(docs/model.md §7).',
  memSeries: '상태 메모리',
  memLineSeries: '한계선',
  memRows: '{n}행',
};

Object.assign(STRINGS.en, EN);
Object.assign(STRINGS.ko, KO);

/**
 * A run's recovery figures for a compare card: duplicates, orphan files, time to catch up.
 * @param {import('./i18n.js').Lang} lang @param {any} rec the report's `recovery` section
 * @returns {[string, string][]}
 */
export function recoveryItems(lang, rec) {
  return [
    ['recDuplicates', int(rec.duplicate_rows, lang)],
    ['recOrphans', `${int(rec.orphan_files, lang)} (${bytes(rec.orphan_bytes, lang)})`],
    ['recCatchUp', rec.recovery_s == null ? t(lang, 'recCatchUpNever') : duration(rec.recovery_s, lang)],
  ];
}

/** A definition list of figures, a card each, as the result's (metric-list.js). @param {[string, string][]} rows @param {import('./i18n.js').Lang} lang */
function cards(rows, lang) {
  const dl = document.createElement('dl');
  dl.append(...metricItems(lang, rows));
  return dl;
}

/**
 * The recovery panel: a run's recovery figures, and a stateful query's state memory with
 * its line over time, after the result's summary.
 * @param {{lang: () => import('./i18n.js').Lang}} hooks
 */
export function initRecovery(hooks) {
  const section = document.createElement('section');
  section.id = 'recovery';
  section.hidden = true;
  section.setAttribute('aria-labelledby', 'recovery-h');
  const memory = document.createElement('section');
  memory.id = 'state-memory';
  memory.hidden = true;
  memory.setAttribute('aria-labelledby', 'state-memory-h');

  /** Shows a run's recovery section, or hides it. @param {any} rec @param {import('./i18n.js').Lang} lang */
  function showRecovery(rec, lang) {
    section.hidden = !rec;
    if (!rec) return;
    const h = document.createElement('h2');
    h.id = 'recovery-h';
    h.textContent = t(lang, 'recoveryTitle');
    const during = rec.during === 'batch' ? t(lang, 'recDuringBatch', { n: rec.failed_batch })
      : rec.during === 'idle' ? t(lang, 'recDuringIdle') : t(lang, 'recDuringAfter');
    const dl = cards([
      ['recDuring', during],
      ['recOutage', `${duration(rec.restart_s, lang)} + ${duration(rec.restore_s, lang)}`],
      ['recNoCommit', rec.no_commit_s == null ? '—' : duration(rec.no_commit_s, lang)],
      ['recBacklog', int(rec.backlog_rows, lang)],
      ['recCatchUp', rec.recovery_s == null ? t(lang, 'recCatchUpNever') : duration(rec.recovery_s, lang)],
      ['recP95', rec.latency_p95_s == null ? '—' : duration(rec.latency_p95_s, lang)],
      ...recoveryItems(lang, rec).filter(([k]) => k !== 'recCatchUp'),
    ], lang);
    const note = document.createElement('p');
    note.className = 'muted';
    note.textContent = rec.write_skipped ? `${t(lang, 'recNote')} ${t(lang, 'recSkipped')}.` : t(lang, 'recNote');
    section.replaceChildren(h, dl, note);
  }

  /**
   * Shows a stateful query's state memory: figures, the crossing, and a chart of the bytes
   * after each batch with the line; hides it without state.
   * @param {import('./run-result.js').RunResult} r @param {import('./i18n.js').Lang} lang
   */
  function showMemory(r, lang) {
    const m = r.stateMemory;
    memory.hidden = !m;
    if (!m) return;
    const h = document.createElement('h2');
    h.id = 'state-memory-h';
    h.textContent = t(lang, 'memTitle');
    const dl = cards([
      ['memPerRow', `${int(Math.round(m.bytes_per_row), lang)} B (${t(lang, `o_${m.provider}`)})`],
      ['memLine', `${bytes(m.line_bytes, lang)} = ${t(lang, 'memRows', { n: int(m.line_rows, lang) })}`],
      ['memPeak', bytes(m.peak_bytes, lang)],
    ], lang);
    /** @type {HTMLElement[]} */
    const parts = [h, dl];
    const start = r.seriesTimeUs[0] ?? 0;
    for (const [key, c, cls] of [['memOom', m.out_of_memory, 'warn'], ['memCache', m.block_cache_exceeded, 'muted']]) {
      if (!c) continue;
      const p = document.createElement('p');
      p.className = cls;
      p.id = key === 'memOom' ? 'state-memory-oom' : 'state-memory-cache';
      p.textContent = t(lang, key, {
        batch: c.batch, at: clock(c.at_us, start), rows: int(c.state_rows, lang), line: int(m.line_rows, lang),
      });
      parts.push(p);
    }
    const chart = document.createElement('div');
    chart.className = 'chart';
    chart.id = 'chart-state-memory';
    const note = document.createElement('p');
    note.className = 'muted';
    note.textContent = t(lang, 'memNote');
    parts.push(chart, note);
    memory.replaceChildren(...parts);
    // In MB: an axis of readable numbers.
    const line = new Float64Array(r.batchEndUs.length).fill(m.line_bytes / 1e6);
    timeChart(chart, r.batchEndUs, start, [
      { label: t(lang, 'memSeries'), values: r.batchStateMemoryBytes.map((b) => b / 1e6) },
      { label: t(lang, 'memLineSeries'), values: line },
    ], { y: 'MB' });
  }

  /** The last run shown (redrawn in another language). @type {import('./run-result.js').RunResult | null} */
  let last = null;

  /** Shows a run's recovery and state memory figures, or hides them. @param {import('./run-result.js').RunResult | null} r */
  function show(r) {
    last = r;
    const anchor = document.getElementById('flink') ?? document.getElementById('summary');
    if (anchor && section.previousSibling !== anchor) anchor.after(section);
    if (section.nextSibling !== memory) section.after(memory);
    const lang = hooks.lang();
    showRecovery(r?.recovery ?? null, lang);
    if (r) showMemory(r, lang);
    else memory.hidden = true;
  }

  return { show, redraw: () => show(last) };
}
