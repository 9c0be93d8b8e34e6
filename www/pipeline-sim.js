// <pipeline-sim> — the simulator as an HTML element, from one script tag:
//
//   <script type="module" src="https://example.org/sim/pipeline-sim.js"></script>
//   <pipeline-sim scenario='{"seed": 1, "trigger": {"kind": "processing_time", "interval_s": 10}}'
//                 view="timeline" lang="ko"></pipeline-sim>
//
// Attributes: `scenario` (JSON; fields left out take the app's defaults), `view` (`run` or
// `timeline`), `lang` (`en` or `ko`; default: the browser's), `height` (px before the first
// result, default 420). Each element is an <iframe> of embed.html next to this script, so
// several on one page run independently; the iframe reports its content height and the
// element follows it. Relative URLs resolve against this script, so the site can live
// under any path.
import { encodeHash, BASE, merge, clone } from './state.js';

const EMBED = new URL('./embed.html', import.meta.url);

class PipelineSim extends HTMLElement {
  static get observedAttributes() {
    return ['scenario', 'view', 'lang'];
  }

  constructor() {
    super();
    /** @type {HTMLIFrameElement | null} */
    this.frame = null;
    this.onMessage = (/** @type {MessageEvent} */ e) => {
      if (!this.frame || e.source !== this.frame.contentWindow) return;
      if (e.data?.type === 'pipeline-sim:height' && Number.isFinite(e.data.height)) {
        this.frame.style.height = `${Math.max(100, Math.min(e.data.height, 5000))}px`;
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
      this.frame.style.height = `${Number(this.getAttribute('height')) || 420}px`;
      this.replaceChildren(this.frame);
    }
    if (this.frame.src !== src) this.frame.src = src;
  }
}

if (!customElements.get('pipeline-sim')) customElements.define('pipeline-sim', PipelineSim);
