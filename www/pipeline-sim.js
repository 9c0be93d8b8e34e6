// <pipeline-sim> — the simulator as an HTML element, from one script tag:
//
//   <script type="module" src="https://example.org/sim/pipeline-sim.js"></script>
//   <pipeline-sim scenario='{"seed": 1, "trigger": {"kind": "processing_time", "interval_s": 10}}'
//                 view="timeline" lang="ko"></pipeline-sim>
//
// Attributes: `scenario` (JSON; fields left out take the app's defaults), `view` (`run` or
// `timeline`), `lang` (`en` or `ko`; default: the browser's), `height` (px; default: the
// view's height at the element's width, see RESERVED; `auto`: follow the content). Each
// element is an <iframe> of embed.html next to this script, so several on one page run
// independently. The element's height is fixed before the frame loads, so the reader's
// page never jumps when the result arrives; content taller than it scrolls inside the
// frame. Relative URLs resolve against this script, so the site can live under any path.
import { encodeHash, BASE, merge, clone } from './state.js';

const EMBED = new URL('./embed.html', import.meta.url);

/**
 * The height each view's result takes, px, by the element's width (under 600 px: a phone),
 * measured in Chromium for the default scenarios in English and Korean (the tallest, and a
 * little room): run 484 / 632, timeline 697 / 984 (tests/e2e/embed.test.mjs checks that the
 * result fits).
 */
const RESERVED = { run: { wide: 500, narrow: 650 }, timeline: { wide: 710, narrow: 1000 } };

/** @param {'run' | 'timeline'} view @param {number} width */
export function reservedHeight(view, width) {
  const r = RESERVED[view];
  return width > 0 && width < 600 ? r.narrow : r.wide;
}

class PipelineSim extends HTMLElement {
  static get observedAttributes() {
    return ['scenario', 'view', 'lang', 'height'];
  }

  constructor() {
    super();
    /** @type {HTMLIFrameElement | null} */
    this.frame = null;
    this.onMessage = (/** @type {MessageEvent} */ e) => {
      if (!this.frame || e.source !== this.frame.contentWindow) return;
      if (e.data?.type === 'pipeline-sim:height' && Number.isFinite(e.data.height)) {
        const h = Math.max(100, Math.min(e.data.height, 5000));
        this.dataset.contentHeight = String(h);
        // Only `height="auto"` follows the content (and may move the page under the reader).
        if (this.getAttribute('height') === 'auto') this.frame.style.height = `${h}px`;
        this.dataset.ready = 'true';
      }
    };
  }

  connectedCallback() {
    window.addEventListener('message', this.onMessage);
    this.render();
  }

  disconnectedCallback() {
    window.removeEventListener('message', this.onMessage);
  }

  attributeChangedCallback() {
    if (this.isConnected) this.render();
  }

  /** The embed page's URL for the current attributes (throws on bad JSON). */
  url() {
    const given = this.getAttribute('scenario');
    const scenario = given ? merge(clone(BASE), JSON.parse(given)) : clone(BASE);
    const view = this.getAttribute('view') === 'timeline' ? 'timeline' : 'run';
    const u = new URL(EMBED);
    const lang = this.getAttribute('lang');
    if (lang === 'en' || lang === 'ko') u.searchParams.set('lang', lang);
    u.hash = encodeHash({ scenario, view, slaMin: 15, pins: [] }).replace(/^#/, '');
    return u.href;
  }

  render() {
    let src;
    try {
      src = this.url();
    } catch (err) {
      this.textContent = `pipeline-sim: the scenario attribute is not valid JSON (${err instanceof Error ? err.message : err})`;
      this.frame = null;
      return;
    }
    if (!this.frame) {
      this.frame = document.createElement('iframe');
      this.frame.title = this.getAttribute('title') ?? 'Pipeline Simulator';
      this.frame.loading = 'lazy';
      this.frame.style.cssText = 'width: 100%; border: 0; display: block;';
      this.replaceChildren(this.frame);
    }
    // The height is reserved before the frame loads: given, or the view's at this width.
    if (!this.style.display) this.style.display = 'block';
    const given = Number(this.getAttribute('height'));
    const view = this.getAttribute('view') === 'timeline' ? 'timeline' : 'run';
    const width = this.getBoundingClientRect().width || window.innerWidth;
    const h = given > 0 ? Math.min(given, 5000) : reservedHeight(view, width);
    if (this.getAttribute('height') !== 'auto' || !this.dataset.contentHeight) this.frame.style.height = `${h}px`;
    if (this.frame.src !== src) this.frame.src = src;
  }
}

if (!customElements.get('pipeline-sim')) customElements.define('pipeline-sim', PipelineSim);
