/**
 * The doctor's report as one plain-text table (the doubt, this app's side, what the app answered,
 * what the kit does) and a closing verdict.
 */
import type { DoctorReport, DoctorRow } from './report.js';

const ANSWER_LABEL: Record<DoctorRow['answer'], string> = {
  evidence: 'evidence',
  optimistic: 'optimistic',
  'not-asked': '-',
  unclear: '?',
  ok: 'ok',
  failed: 'FAIL',
};

function wrap(value: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of value.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}

/** The report as one plain-text table and a closing verdict. */
export function formatDoctorReport(report: DoctorReport): string {
  const columns = [
    { title: 'doubt', width: 38, cell: (row: DoctorRow) => `${row.name}: ${row.doubt}` },
    { title: 'side', width: 10, cell: (row: DoctorRow) => ANSWER_LABEL[row.answer] },
    { title: 'this app', width: 34, cell: (row: DoctorRow) => row.app },
    { title: 'the kit', width: 44, cell: (row: DoctorRow) => row.kit },
  ];
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(columns[i]!.width)).join(' | ').trimEnd();
  const out = [
    `Timekit ${report.apiBase}, app ${report.app}`,
    '',
    line(columns.map((c) => c.title)),
    columns.map((c) => '-'.repeat(c.width)).join('-+-'),
  ];
  for (const row of report.rows) {
    const cells = columns.map((c) => wrap(c.cell(row), c.width));
    const height = Math.max(...cells.map((c) => c.length));
    for (let i = 0; i < height; i++) out.push(line(cells.map((c) => c[i] ?? '')));
  }
  out.push('', 'side: evidence = where the public evidence points (the emulator\'s switch on); optimistic = the other side; - not asked; ? unclear.');
  if (report.ok) out.push('The kit can work with this app.');
  else out.push('The kit cannot work with this app:', ...report.problems.map((p) => `  - ${p}`));
  return `${out.join('\n')}\n`;
}
