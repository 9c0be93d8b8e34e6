// English and Korean labels. The default follows the browser's language; the choice is
// remembered in the URL (?lang=ko|en).

/** @typedef {'en' | 'ko'} Lang */

/** @type {Record<Lang, Record<string, string>>} */
export const STRINGS = {
  en: {
    title: 'Pipeline Simulator',
    tagline: 'A Spark Structured Streaming query, simulated event by event in your browser.',
    language: 'Language',
    loading: 'Loading the simulator…',
    scenario: 'Scenario',
    result: 'Result',
    batches: 'Micro-batches',
    scenarioText: '{rate} events/s for {minutes} min, {keys} keys, {window} s tumbling count, watermark {delay} s, trigger every {interval} s, {mode} mode, seed {seed}.',
    events: 'Events',
    microBatches: 'Micro-batches',
    noDataBatches: 'No-data batches',
    droppedLate: 'Events dropped as late',
    outputRows: 'Output rows',
    peakState: 'Peak state rows',
    maxBacklog: 'Max backlog rows',
    latencyP50: 'Latency p50',
    latencyP95: 'Latency p95',
    costTitle: 'Cost and freshness (per 30-day month)',
    costNote: 'Prices: S3 Standard and 2 × m6i.xlarge on Databricks Jobs (AWS); sources and formulas in docs/model.md.',
    usdTotal: 'Total',
    usdCompute: 'Cluster',
    usdRequests: 'Storage requests',
    usdAtRest: 'Storage at rest',
    requestsPerDay: 'Requests per day',
    dataFiles: 'Data files written',
    slaClass: 'Latency class',
    sla_real_time: 'real-time (p95 < 1 s)',
    sla_near_real_time: 'near-real-time (p95 < 5 min)',
    sla_batch: 'batch (p95 ≥ 5 min)',
    sla_none: 'nothing visible',
    ranIn: 'Simulated in {ms} ms',
    colBatch: 'Batch', colStart: 'Start (s)', colDuration: 'Duration (s)', colInput: 'Input rows',
    colWatermark: 'Watermark', colDropped: 'Late groups', colState: 'State rows', colOutput: 'Output rows',
    error: 'The simulation could not run: {message}',
  },
  ko: {
    title: '파이프라인 시뮬레이터',
    tagline: 'Spark Structured Streaming 쿼리를 브라우저에서 이벤트 단위로 시뮬레이션합니다.',
    language: '언어',
    loading: '시뮬레이터를 불러오는 중…',
    scenario: '시나리오',
    result: '결과',
    batches: '마이크로 배치',
    scenarioText: '초당 {rate}개 이벤트, {minutes}분, 키 {keys}개, {window}초 tumbling count, 워터마크 {delay}초, 트리거 {interval}초마다, {mode} 모드, 시드 {seed}.',
    events: '이벤트',
    microBatches: '마이크로 배치',
    noDataBatches: '데이터 없는 배치',
    droppedLate: '늦어서 버려진 이벤트',
    outputRows: '출력 행',
    peakState: '최대 state 행',
    maxBacklog: '최대 대기 행',
    latencyP50: '지연 p50',
    latencyP95: '지연 p95',
    costTitle: '비용과 신선도 (30일 기준 월)',
    costNote: '가격: S3 Standard, Databricks Jobs의 m6i.xlarge 2대 (AWS). 출처와 공식은 docs/model.md에 있습니다.',
    usdTotal: '합계',
    usdCompute: '클러스터',
    usdRequests: '스토리지 요청',
    usdAtRest: '스토리지 보관',
    requestsPerDay: '하루 요청 수',
    dataFiles: '기록한 데이터 파일',
    slaClass: '지연 등급',
    sla_real_time: '실시간 (p95 < 1초)',
    sla_near_real_time: '준실시간 (p95 < 5분)',
    sla_batch: '배치 (p95 ≥ 5분)',
    sla_none: '보이는 데이터 없음',
    ranIn: '시뮬레이션 {ms} ms',
    colBatch: '배치', colStart: '시작 (초)', colDuration: '소요 (초)', colInput: '입력 행',
    colWatermark: '워터마크', colDropped: '늦은 그룹', colState: 'State 행', colOutput: '출력 행',
    error: '시뮬레이션을 실행할 수 없습니다: {message}',
  },
};

/** @returns {Lang} */
export function initialLang() {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (fromUrl === 'ko' || fromUrl === 'en') return fromUrl;
  return navigator.language.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

/**
 * @param {Lang} lang
 * @param {string} key
 * @param {Record<string, string | number>} [vars]
 */
export function t(lang, key, vars = {}) {
  const s = STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? `{${k}}`));
}

/** Fills every element carrying data-i18n. @param {Lang} lang */
export function applyStatic(lang) {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-i18n]')) {
    const key = /** @type {HTMLElement} */ (el).dataset.i18n ?? '';
    el.textContent = t(lang, key);
  }
}
