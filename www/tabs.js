// Keyboard access to the views (issue #15): the view tabs as a WAI-ARIA tab list (only the
// selected tab is in the Tab order; Left/Right, Home/End move to a tab and select it), and
// the skip link that takes the focus past the header to them.

/**
 * Marks `selected` as the tab list's selected tab: aria-selected, and the only tab that Tab
 * reaches (a roving tabindex). @param {HTMLElement} list @param {HTMLElement} selected
 */
export function selectTab(list, selected) {
  for (const tab of list.querySelectorAll('[role="tab"]')) {
    tab.setAttribute('aria-selected', String(tab === selected));
    /** @type {HTMLElement} */ (tab).tabIndex = tab === selected ? 0 : -1;
  }
}

/**
 * Arrow keys (wrapping), Home and End on a tab list: the focus moves to a tab, which
 * `select` then shows (automatic activation).
 * @param {HTMLElement} list @param {(tab: HTMLElement) => void} select
 */
export function tabKeys(list, select) {
  list.addEventListener('keydown', (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const tabs = /** @type {HTMLElement[]} */ ([...list.querySelectorAll('[role="tab"]')]);
    const i = tabs.indexOf(/** @type {HTMLElement} */ (document.activeElement));
    if (i < 0) return;
    const n = tabs.length;
    const to = /** @type {Record<string, number>} */ ({ ArrowRight: (i + 1) % n, ArrowLeft: (i - 1 + n) % n, Home: 0, End: n - 1 })[e.key];
    if (to === undefined) return;
    e.preventDefault();
    tabs[to].focus();
    if (to !== i) select(tabs[to]);
  });
}

/**
 * A skip link that moves the focus to `target()` rather than following its fragment (the
 * page keeps its state in the URL's hash). @param {HTMLElement} link @param {() => HTMLElement | null} target
 */
export function skipLink(link, target) {
  link.addEventListener('click', (e) => {
    e.preventDefault();
    target()?.focus();
  });
}
