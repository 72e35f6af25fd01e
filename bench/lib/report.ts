import { Summary, summarize } from './stats';

export interface Target {
  /** What the target constrains: the figure itself, or its ratio to the ceiling. */
  on: 'value' | 'ratio';
  op: '>=' | '<=' | '<';
  limit: number;
}

/** One figure of the report, with its value in every run (NaN where a run could not measure it). */
export interface Figure {
  name: string;
  unit: string;
  values: number[];
  /** The ceiling measured in the same runs (same run index = same pairing). */
  ceiling?: { name: string; values: number[] };
  /** Rates are better high, durations low; the ratio is always "fraction of the ceiling's speed". */
  higherIsBetter?: boolean;
  target?: Target;
  /** Peak RSS of the process that produced the figure, per run. */
  rssMb?: number[];
  note?: string;
}

interface Row {
  figure: Figure;
  value?: Summary;
  ceiling?: Summary;
  ratio?: Summary;
  rss?: Summary;
  pass?: boolean;
  verdict: string;
}

function ratios(figure: Figure): number[] {
  const ceiling = figure.ceiling?.values ?? [];
  return figure.values.map((value, i) => {
    const top = ceiling[i] ?? NaN;
    return figure.higherIsBetter === false ? top / value : value / top;
  });
}

function evaluate(figure: Figure): Row {
  const value = summarize(figure.values);
  const ceiling = figure.ceiling && summarize(figure.ceiling.values);
  const ratio = figure.ceiling && summarize(ratios(figure));
  const rss = figure.rssMb && summarize(figure.rssMb);
  const target = figure.target;
  if (target === undefined) return { figure, value, ceiling, ratio, rss, verdict: '' };
  const measured = (target.on === 'ratio' ? ratio : value)?.median;
  if (measured === undefined) return { figure, value, ceiling, ratio, rss, verdict: 'n/a' };
  const pass =
    target.op === '>='
      ? measured >= target.limit
      : target.op === '<='
        ? measured <= target.limit
        : measured < target.limit;
  // How far from the target, in percent of the target: positive is headroom, negative is shortfall.
  const margin = ((target.op === '>=' ? measured / target.limit : target.limit / measured) - 1) * 100;
  const verdict = `${pass ? 'PASS' : 'MISS'} (${margin >= 0 ? '+' : ''}${margin.toFixed(0)}%)`;
  return { figure, value, ceiling, ratio, rss, pass, verdict };
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en');
  if (Math.abs(value) >= 10) return value.toFixed(1);
  if (Math.abs(value) >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

const spread = (summary: Summary | undefined) =>
  summary ? `${formatNumber(summary.min)}–${formatNumber(summary.max)}` : '';

function targetText(target: Target | undefined, unit: string): string {
  if (target === undefined) return '';
  const what = target.on === 'ratio' ? '× ceiling' : unit === '×' ? '×' : ` ${unit}`;
  return `${{ '>=': '≥', '<=': '≤', '<': '<' }[target.op]} ${formatNumber(target.limit)}${what}`;
}

/** The table as aligned text lines; notes follow it, numbered. */
export function table(figures: Figure[]): string {
  const rows = figures.map(evaluate);
  const notes: string[] = [];
  const header = [
    'figure',
    'median',
    'min–max',
    'unit',
    'ceiling (median)',
    '× ceiling (min–max)',
    'target',
    'result',
    'RSS MB',
  ];
  const lines = rows.map(({ figure, value, ceiling, ratio, rss, verdict }) => {
    let name = figure.name;
    if (figure.note) {
      notes.push(figure.note);
      name += ` [${notes.length}]`;
    }
    return [
      name,
      value ? formatNumber(value.median) : 'n/a',
      spread(value),
      figure.unit,
      figure.ceiling && ceiling ? `${formatNumber(ceiling.median)} ${figure.ceiling.name}` : '',
      ratio ? `${ratio.median.toFixed(2)} (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})` : '',
      targetText(figure.target, figure.unit),
      verdict,
      rss ? formatNumber(rss.median) : '',
    ];
  });
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => (line[i] ?? '').length)));
  const render = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  return [
    render(header),
    render(widths.map((width) => '-'.repeat(width))),
    ...lines.map(render),
    ...notes.map((note, i) => `[${i + 1}] ${note}`),
  ].join('\n');
}

/** Every figure as data, for the one JSON line. */
export function json(figures: Figure[]): object[] {
  return figures.map((figure) => {
    const { value, ceiling, ratio, rss, pass } = evaluate(figure);
    return {
      name: figure.name,
      unit: figure.unit,
      ...value,
      ...(figure.ceiling && { ceiling: { name: figure.ceiling.name, ...ceiling }, ratio }),
      ...(figure.target && { target: targetText(figure.target, figure.unit), pass: pass ?? null }),
      ...(rss && { peakRssMb: rss.median }),
      ...(figure.note && { note: figure.note }),
    };
  });
}
