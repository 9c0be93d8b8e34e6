// The embedding page's own script (a file: the page's Content-Security-Policy runs no
// inline script): the live iframe follows the height the embed posts, and Copy buttons.
const frame = /** @type {HTMLIFrameElement} */ (document.getElementById('demo-iframe'));
addEventListener('message', (e) => {
  if (e.source === frame.contentWindow && e.data?.type === 'pipeline-sim:height' && Number.isFinite(e.data.height)) {
    frame.style.height = `${Math.max(100, Math.min(e.data.height, 5000))}px`;
  }
});
// The frame may have posted its height before this script ran: ask again.
frame.contentWindow?.postMessage({ type: 'pipeline-sim:height?' }, '*');
for (const b of document.querySelectorAll('[data-copy]')) {
  b.addEventListener('click', () => {
    const code = document.getElementById(b.getAttribute('data-copy') ?? '')?.textContent ?? '';
    navigator.clipboard.writeText(code).then(() => { b.textContent = 'Copied'; }, () => { b.textContent = 'Select and copy'; });
  });
}
