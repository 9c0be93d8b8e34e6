// "Write a lesson": checks a lesson's JSON (lesson.js) and makes a link that carries it.
import { lessonProblems, encodeLesson } from '../lesson.js';

const area = /** @type {HTMLTextAreaElement} */ (document.getElementById('lesson-json'));
const check = /** @type {HTMLElement} */ (document.getElementById('lesson-check'));
const link = /** @type {HTMLAnchorElement} */ (document.getElementById('lesson-link'));

const example = {
  id: 'files-in-an-hour',
  title: { en: 'How many files in an hour?', ko: '한 시간에 파일이 몇 개?' },
  explain: { en: '20 events/s into a parquet table with a 10 s trigger and 200 shuffle partitions.', ko: '초당 20건을 트리거 10초, 셔플 파티션 200개로 parquet 테이블에 씁니다.' },
  view: 'run',
  variants: [{ label: { en: '10 s trigger', ko: '트리거 10초' }, scenario: { seed: 1, workload: { duration_s: 3600, rate_per_s: 20 }, trigger: { kind: 'processing_time', interval_s: 10 }, sink: { format: 'parquet' } } }],
  question: { en: 'How many data files after one hour?', ko: '한 시간 뒤 데이터 파일은 몇 개일까요?', answer: { kind: 'number', variant: 0, path: 'cost.storage.data_files_written', unit: 'count', tolerance: 0.2 } },
  reveal: { en: 'Every batch writes a file per task that holds rows.', ko: '배치마다 행을 가진 태스크마다 파일을 하나씩 씁니다.' },
};
area.value = JSON.stringify(example, null, 2);

/** @type {HTMLButtonElement} */ (document.getElementById('make-link')).addEventListener('click', () => {
  link.hidden = true;
  let lesson;
  try {
    lesson = JSON.parse(area.value);
  } catch (err) {
    check.textContent = `Not JSON: ${err instanceof Error ? err.message : err}`;
    return;
  }
  const problems = lessonProblems(lesson);
  if (problems.length) {
    check.textContent = `Problems: ${problems.join('; ')}`;
    return;
  }
  link.href = new URL(`../index.html#lesson=${encodeLesson(lesson)}`, location.href).href;
  link.hidden = false;
  check.textContent = `OK: a link of ${link.href.length} characters.`;
});
