// The lesson panel: title, explanation, the question with a number field or one choice per
// variant, and "Reveal": the simulation's answer next to the reader's, then the lesson's
// explanation. Until then the results are blurred (predict first).
import { t } from './i18n.js';
import { int, duration } from './format.js';
import { usd } from './cost-summary.js';
import { rightAnswer, closeEnough } from './lesson.js';
import { failureText } from './run-failure.js';

/** @typedef {import('./i18n.js').Lang} Lang */

/** @param {number} v @param {string | undefined} unit @param {Lang} lang */
function shown(v, unit, lang) {
  if (!Number.isFinite(v)) return '–';
  if (unit === 'usd') return usd(v, lang);
  if (unit === 's') return duration(v, lang);
  if (unit === 'percent') return `${v.toFixed(1)} %`;
  return int(v, lang);
}

/**
 * Shows `lesson` in #lesson. @param {Lang} lang @param {import('./lesson.js').Lesson} lesson
 * @param {() => Promise<any[]>} results the variants' run results, in order
 */
export function renderLesson(lang, lesson, results) {
  const root = /** @type {HTMLElement} */ (document.getElementById('lesson'));
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));
  root.hidden = false;
  root.replaceChildren();
  const h = document.createElement('h2');
  h.textContent = lesson.title[lang];
  const p = document.createElement('p');
  p.textContent = lesson.explain[lang];
  root.append(h, p);
  const q = lesson.question;
  if (!q) return;
  if (app.dataset.lesson !== 'revealed') app.dataset.lesson = 'predict';
  const form = document.createElement('form');
  form.className = 'lesson-q';
  form.onsubmit = (e) => e.preventDefault();
  const legend = document.createElement('p');
  legend.className = 'lesson-question';
  legend.textContent = q[lang];
  form.append(legend);
  const a = q.answer;
  /** @type {() => number | null} */
  let read;
  if (a.kind === 'choice') {
    const box = document.createElement('div');
    box.setAttribute('role', 'radiogroup');
    a.choices.forEach((c, i) => {
      const label = document.createElement('label');
      const r = document.createElement('input');
      r.type = 'radio';
      r.name = 'lesson-choice';
      r.value = String(i);
      label.append(r, ` ${c[lang]}`);
      box.append(label);
    });
    form.append(box);
    read = () => {
      const c = form.querySelector('input[name="lesson-choice"]:checked');
      return c ? Number(/** @type {HTMLInputElement} */ (c).value) : null;
    };
  } else {
    const label = document.createElement('label');
    label.htmlFor = 'lesson-guess';
    label.textContent = t(lang, 'lessonGuess');
    const inp = document.createElement('input');
    inp.type = 'number';
    inp.id = 'lesson-guess';
    inp.step = 'any';
    inp.inputMode = 'decimal';
    form.append(label, inp);
    read = () => (inp.value.trim() === '' ? null : Number(inp.value));
  }
  const btn = document.createElement('button');
  btn.type = 'submit';
  btn.id = 'lesson-reveal';
  btn.textContent = t(lang, 'lessonReveal');
  const out = document.createElement('p');
  out.id = 'lesson-result';
  out.setAttribute('role', 'status');
  const more = document.createElement('p');
  more.id = 'lesson-explain';
  form.append(btn, out, more);
  root.append(form);
  btn.addEventListener('click', async () => {
    const guess = read();
    if (guess == null) {
      out.textContent = t(lang, 'lessonNeedGuess');
      return;
    }
    btn.disabled = true;
    out.textContent = t(lang, 'running');
    try {
      const rs = await results();
      const right = rightAnswer(a, rs);
      if (a.kind === 'choice') {
        const ok = guess === right.choice;
        const values = rs.map((_, i) => `${a.choices[i][lang]}: ${shown(right.values[i], a.metric.includes('usd') ? 'usd' : a.metric.endsWith('_s') ? 's' : 'count', lang)}`);
        out.textContent = `${t(lang, ok ? 'lessonRight' : 'lessonWrong')} ${t(lang, 'lessonChoice', { choice: a.choices[right.choice ?? 0][lang] })} (${values.join(' · ')})`;
        out.dataset.right = String(ok);
      } else {
        const ok = closeEnough(a, guess, right.value);
        out.textContent = `${t(lang, ok ? 'lessonRight' : 'lessonWrong')} ${t(lang, 'lessonValue', {
          value: shown(right.value, a.unit, lang), guess: shown(guess, a.unit, lang), tol: Math.round((a.tolerance ?? 0.25) * 100),
        })}`;
        out.dataset.right = String(ok);
      }
      if (lesson.reveal) more.textContent = lesson.reveal[lang];
      app.dataset.lesson = 'revealed';
    } catch (err) {
      out.textContent = failureText(lang, err);
    } finally {
      btn.disabled = false;
    }
  });
}
