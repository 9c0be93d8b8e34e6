// The lesson gallery: gallery/index.json lists the lessons (gallery/*.json, docs/lessons.md);
// each card links to the simulator with `?lesson=` so the link opens it ready to answer.
import { initialLang, applyStatic, loadLang, t } from './i18n.js';
import { lessonProblems } from './lesson.js';

const list = /** @type {HTMLElement} */ (document.getElementById('gallery-list'));
const status = /** @type {HTMLElement} */ (document.getElementById('gallery-status'));
const root = /** @type {HTMLElement} */ (document.getElementById('gallery'));
const select = /** @type {HTMLSelectElement} */ (document.getElementById('lang'));
let lang = initialLang();
await loadLang(lang);

/** @type {{file: string, lesson: any}[]} */
let lessons = [];

function render() {
  applyStatic(lang);
  list.replaceChildren();
  for (const { file, lesson } of lessons) {
    const li = document.createElement('li');
    li.className = 'card';
    li.dataset.lesson = lesson.id;
    const h = document.createElement('h2');
    const a = document.createElement('a');
    a.href = `./index.html?lang=${lang}&lesson=${encodeURIComponent(`gallery/${file}`)}`;
    a.textContent = lesson.title[lang];
    h.append(a);
    const p = document.createElement('p');
    p.textContent = lesson.explain[lang];
    li.append(h, p);
    if (lesson.question) {
      const q = document.createElement('p');
      q.className = 'lesson-question';
      q.textContent = lesson.question[lang];
      li.append(q);
    }
    if (lesson.seed_ref) {
      const s = document.createElement('p');
      s.className = 'muted';
      s.textContent = lesson.seed_ref;
      li.append(s);
    }
    list.append(li);
  }
}

select.value = lang;
select.addEventListener('change', async () => {
  const next = select.value === 'ko' ? 'ko' : 'en';
  await loadLang(next);
  lang = next;
  const u = new URL(location.href);
  u.searchParams.set('lang', lang);
  history.replaceState(null, '', u);
  render();
});

try {
  const index = await (await fetch(new URL('./gallery/index.json', import.meta.url))).json();
  lessons = await Promise.all(index.map(async (/** @type {string} */ file) => {
    const lesson = await (await fetch(new URL(`./gallery/${file}`, import.meta.url))).json();
    const problems = lessonProblems(lesson);
    if (problems.length) throw new Error(`${file}: ${problems.join('; ')}`);
    return { file, lesson };
  }));
  render();
  root.dataset.state = 'ready';
} catch (err) {
  status.textContent = t(lang, 'error', { message: err instanceof Error ? err.message : String(err) });
  root.dataset.state = 'error';
} finally {
  root.setAttribute('aria-busy', 'false');
}
