/** The import summary printed by the CLI. */
import type { ImportReport } from './import-file.js';

/** How many rejected rows the summary lists one by one. */
export const REJECTIONS_SHOWN = 20;

const fmt = (n: number): string => n.toLocaleString('en-US');

export function formatReport(report: ImportReport): string[] {
  const rate = report.seconds > 0 ? Math.round(report.rowsRead / report.seconds) : report.rowsRead;
  const what = report.profile === 'stores' ? 'stores' : report.profile === 'deliveries' ? 'exposure rows (store days)' : 'incidents';
  const lines = [
    `${report.profile}: ${fmt(report.rowsRead)} rows read in ${report.seconds.toFixed(1)} s (${fmt(rate)} rows/s)`,
    `  imported:   ${fmt(report.imported)} ${what}${report.cities !== undefined ? ` in ${fmt(report.cities)} cities` : ''}`,
    `  duplicates: ${fmt(report.duplicates)}${report.duplicates ? ' (already stored or repeated in the file; skipped)' : ''}`,
    `  rejected:   ${fmt(report.rejectedCount)}`,
  ];
  if (report.rejectedCount) {
    lines.push('rejected rows by reason:');
    const reasons = Object.entries(report.rejectedByReason).sort((a, b) => b[1] - a[1]);
    for (const [reason, n] of reasons) lines.push(`  ${fmt(n).padStart(9)}  ${reason}`);
    const shown = report.rejected.slice(0, REJECTIONS_SHOWN);
    lines.push(`first ${shown.length} rejected rows (row = data row number, header not counted):`);
    for (const r of shown) lines.push(`  row ${r.row}: ${r.reason}`);
  }
  return lines;
}
