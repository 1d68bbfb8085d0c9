export { escapeHtml, formatNumber, formatPercent } from './html.js';
export { renderReport } from './render-report.js';
export {
  type FunnelStage,
  type ReportData,
  type ReportOptions,
  type RunUsage,
  readRunData,
} from './run-data.js';
export { type Bar, histogram, horizontalBars } from './svg.js';
export { writeReport } from './write-report.js';
