// docs/model.md (copied beside this page by .ci/build-wasm.sh), shown as text: each heading
// a heading element (with a contents list of the sections), the text between them as it is
// written. Fetched, so it is read as UTF-8 whatever the server says about .md files.
const main = /** @type {HTMLElement} */ (document.getElementById('model'));
const status = /** @type {HTMLElement} */ (document.getElementById('model-status'));

try {
  const res = await fetch('./model.md');
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const text = await res.text();
  const toc = document.createElement('ol');
  toc.className = 'model-toc';
  /** @type {HTMLElement[]} */
  const out = [];
  /** @type {string[]} */
  let block = [];
  const flush = () => {
    while (block.length && block[block.length - 1].trim() === '') block.pop();
    while (block.length && block[0].trim() === '') block.shift();
    if (block.length) {
      const pre = document.createElement('pre');
      pre.className = 'model-text';
      pre.textContent = block.join('\n');
      out.push(pre);
    }
    block = [];
  };
  let inCode = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) inCode = !inCode;
    const m = inCode ? null : /^(#{1,4}) (.+)$/.exec(line);
    if (!m) {
      block.push(line);
      continue;
    }
    flush();
    const h = document.createElement(/** @type {'h1' | 'h2' | 'h3' | 'h4'} */ (`h${m[1].length}`));
    h.textContent = m[2];
    h.id = m[2].toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    out.push(h);
    if (m[1].length === 2) {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = `#${h.id}`;
      a.textContent = m[2].replace(/^\d+\.\s*/, '');
      li.append(a);
      toc.append(li);
    }
  }
  flush();
  status.remove();
  // The title, then the contents, then the rest.
  main.append(...out.slice(0, 2), toc, ...out.slice(2));
  if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
} catch (err) {
  status.textContent = `docs/model.md could not be loaded (${err instanceof Error ? err.message : err}).`;
}
main.setAttribute('aria-busy', 'false');

export {}; // a module (top-level await)
