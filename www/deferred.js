// The app's code that a first result does not need, fetched as one file after it (main.js,
// `laterCode`): the data panel and the downloads.
export { initDataPanel } from './data-panel.js';
export { initExport } from './export-panel.js';
