/**
 * The doctor's report and the builder the questions write to: a row per doubt or basic check, the
 * problems that stop the kit, and the switches this app settled.
 */
import { DOCTOR_DOUBTS, DOUBTS, type DoctorDoubt } from './doubts.js';

/**
 * One row of the table. `answer`: `evidence` / `optimistic` for a doubt this app settled (the side of
 * the switch it is on), `not-asked`, `unclear` (asked, but the answer fits neither side), and for the
 * basic checks `ok` / `failed`.
 */
export interface DoctorRow {
  name: DoctorDoubt | BasicCheck;
  doubt: string;
  answer: 'evidence' | 'optimistic' | 'not-asked' | 'unclear' | 'ok' | 'failed';
  app: string;
  kit: string;
}

export interface DoctorReport {
  apiBase: string;
  app: string;
  /** False when the kit cannot work with this app's answers (`problems` says why). */
  ok: boolean;
  problems: string[];
  /** The doubts this app settled, as the emulator's switch values (true = the evidence side). */
  switches: Partial<Record<DoctorDoubt, boolean>>;
  rows: DoctorRow[];
}

/** The checks that are no doubt of docs/timekit-api.md: without them nothing, or one element, works. */
type BasicCheck = 'api' | 'app key' | 'app slug' | 'microsoft signup' | 'resource' | 'resource rules' | 'cleanup';

/** A basic check's row: what it checks, what this app answered, what that means for the kit. */
interface BasicRow {
  doubt: string;
  app: string;
  kit: string;
}

const ORDER: DoctorRow['name'][] = ['api', 'app key', 'app slug', 'microsoft signup', 'resource', 'resource rules', ...DOCTOR_DOUBTS, 'cleanup'];

/** The kit's behaviour when the side is unknown: both sides. */
function eitherSide(name: DoctorDoubt): string {
  const { kit } = DOUBTS[name];
  return typeof kit === 'string' ? kit : `${kit.true}; else ${kit.false}`;
}

export class DoctorReportBuilder {
  private readonly rows: DoctorRow[] = [];
  private readonly problems: string[] = [];
  private readonly switches: DoctorReport['switches'] = {};

  constructor(
    private readonly apiBase: string,
    private readonly app: string,
  ) {}

  /** A doubt asked: `evidenceSide` is the side this app is on, or null when its answer fits neither. */
  settle(name: DoctorDoubt, evidenceSide: boolean | null, app: string): void {
    const { doubt, kit } = DOUBTS[name];
    if (evidenceSide !== null) this.switches[name] = evidenceSide;
    this.rows.push({
      name,
      doubt,
      answer: evidenceSide === null ? 'unclear' : evidenceSide ? 'evidence' : 'optimistic',
      app,
      kit: typeof kit === 'string' ? kit : evidenceSide === null ? eitherSide(name) : kit[`${evidenceSide}`],
    });
  }

  notAsked(name: DoctorDoubt, why = DOUBTS[name].unasked ?? 'not asked'): void {
    this.rows.push({ name, doubt: DOUBTS[name].doubt, answer: 'not-asked', app: `not asked: ${why}`, kit: eitherSide(name) });
  }

  passed(name: BasicCheck, row: BasicRow): void {
    this.addBasic(name, 'ok', row);
  }

  /** A basic check failed; with `problem`, the kit cannot work with this app. */
  failed(name: BasicCheck, row: BasicRow, problem?: string): void {
    this.addBasic(name, 'failed', row);
    if (problem) this.problem(problem);
  }

  unclear(name: BasicCheck, row: BasicRow): void {
    this.addBasic(name, 'unclear', row);
  }

  basicNotAsked(name: BasicCheck, row: BasicRow): void {
    this.addBasic(name, 'not-asked', row);
  }

  /** Something that stops the kit, besides a failed row. */
  problem(text: string): void {
    this.problems.push(text);
  }

  private addBasic(name: BasicCheck, answer: DoctorRow['answer'], { doubt, app, kit }: BasicRow): void {
    this.rows.push({ name, doubt, answer, app, kit });
  }

  /** The report, its rows in the table's order whatever order they were asked in. */
  build(): DoctorReport {
    const order = (name: DoctorRow['name']) => ORDER.indexOf(name);
    const rows = [...this.rows].sort((a, b) => order(a.name) - order(b.name));
    return { apiBase: this.apiBase, app: this.app, ok: this.problems.length === 0, problems: [...this.problems], switches: { ...this.switches }, rows };
  }
}
