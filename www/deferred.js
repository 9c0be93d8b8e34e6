// The app's code that a first result does not need, fetched as one file after it (main.js,
// `laterCode`): the data panel, the downloads and the engine switch.
export { initDataPanel } from './data-panel.js';
export { initExport } from './export-panel.js';
export { initEngine, engineControls } from './engine-panel.js';
