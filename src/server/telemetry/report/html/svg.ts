/**
 * Charts as plain SVG, drawn on the server: no library, no script, nothing fetched. Colours come
 * from the page's CSS classes (`tone-1` ...), so the same SVG follows light, dark and print.
 */

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface Series {
  name: string;
  values: (number | null)[];
  /** 1..7: the colour (`tone-N` in the page's CSS). */
  tone: number;
}

export interface ChartText {
  id: string;
  title: string;
  /** A sentence summing the chart up for screen readers (the table after it has the data). */
  desc: string;
}

/** A chart's drawing area: the viewBox and the plot inside its axis margins. */
interface Geometry {
  W: number;
  H: number;
  PAD: { top: number; right: number; bottom: number; left: number };
  PLOT_W: number;
  PLOT_H: number;
}

export function geometry(W = 640, H = 240): Geometry {
  const PAD = { top: 16, right: 48, bottom: 36, left: 64 };
  return { W, H, PAD, PLOT_W: W - PAD.left - PAD.right, PLOT_H: H - PAD.top - PAD.bottom };
}
const WIDE = geometry();

/** A round axis maximum at or above `max` (1, 2, 4, 6 or 8 times a power of ten). */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  // Each is 4 round quarters: the axis has 4 gridlines.
  for (const step of [1, 2, 4, 6, 8, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

const num = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
// A small figure (a CLS p75 of 0.00055) keeps its significant digits instead of reading as 0.
const small = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });
export const formatNumber = (n: number): string => (n !== 0 && Math.abs(n) < 1 ? small : num).format(n);

function open(text: ChartText, W: number, height: number): string {
  return `<svg class="chart" viewBox="0 0 ${W} ${height}" role="img" aria-labelledby="${text.id}-t ${text.id}-d" preserveAspectRatio="xMidYMid meet"><title id="${text.id}-t">${escapeHtml(text.title)}</title><desc id="${text.id}-d">${escapeHtml(text.desc)}</desc>`;
}

/** Date labels under the x axis: about six of them, first and last always. */
function xAxis({ H, PAD }: Geometry, labels: string[], xOf: (i: number) => number): string {
  const every = Math.max(1, Math.ceil(labels.length / 6));
  const marks = labels
    .map((label, i) => ({ label, i }))
    .filter(({ i }) => i % every === 0 || i === labels.length - 1)
    .filter(({ i }, k, all) => i === labels.length - 1 || (all[k + 1]?.i ?? Number.POSITIVE_INFINITY) - i >= every / 2);
  return marks
    .map(
      ({ label, i }) =>
        `<text class="axis" x="${xOf(i).toFixed(1)}" y="${H - PAD.bottom + 18}" text-anchor="middle">${escapeHtml(label.slice(5))}</text>`,
    )
    .join('');
}

function yAxis(
  { W, PAD, PLOT_H }: Geometry,
  max: number,
  format: (n: number) => string,
  side: 'left' | 'right' = 'left',
): string {
  const parts: string[] = [];
  for (let k = 0; k <= 4; k++) {
    const value = (max * k) / 4;
    const y = PAD.top + PLOT_H - (PLOT_H * k) / 4;
    if (side === 'left')
      parts.push(`<line class="gridline" x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}"/>`);
    const x = side === 'left' ? PAD.left - 6 : W - PAD.right + 6;
    parts.push(
      `<text class="axis" x="${x}" y="${y + 4}" text-anchor="${side === 'left' ? 'end' : 'start'}">${escapeHtml(format(value))}</text>`,
    );
  }
  return parts.join('');
}

const yOfIn =
  ({ PAD, PLOT_H }: Geometry) =>
  (value: number, max: number) =>
    PAD.top + PLOT_H - (PLOT_H * value) / max;

function polyline(
  g: Geometry,
  values: (number | null)[],
  xOf: (i: number) => number,
  max: number,
  cls: string,
): string {
  const yOf = yOfIn(g);
  const parts: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length > 1) parts.push(`<polyline class="${cls}" points="${run.join(' ')}"/>`);
    run = [];
  };
  values.forEach((v, i) => {
    if (v === null) {
      flush();
      return;
    }
    run.push(`${xOf(i).toFixed(1)},${yOf(v, max).toFixed(1)}`);
    parts.push(`<circle class="${cls} dot" cx="${xOf(i).toFixed(1)}" cy="${yOf(v, max).toFixed(1)}" r="3"/>`);
  });
  flush();
  return parts.join('');
}

/** Bars per day (side by side, or stacked), with an optional 0..1 rate line on a right axis. */
export function barChart(
  text: ChartText,
  labels: string[],
  series: Series[],
  options: { stacked?: boolean; rate?: Series /** Counts: gridlines on whole numbers. */; integer?: boolean } = {},
): string {
  const g = WIDE;
  const { W, H, PAD, PLOT_W, PLOT_H } = g;
  const yOf = yOfIn(g);
  const totals = labels.map((_, i) =>
    options.stacked
      ? series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0)
      : Math.max(0, ...series.map((s) => s.values[i] ?? 0)),
  );
  const top = Math.max(0, ...totals);
  // Counts get gridlines on whole numbers: a maximum that is a multiple of 4.
  const max = options.integer ? Math.ceil(Math.max(4, niceMax(top)) / 4) * 4 : niceMax(top);
  const slot = PLOT_W / Math.max(1, labels.length);
  const xOf = (i: number) => PAD.left + slot * (i + 0.5);
  const groupWidth = Math.max(1, slot * 0.8);
  const barWidth = options.stacked ? groupWidth : groupWidth / Math.max(1, series.length);
  const bars: string[] = [];
  labels.forEach((_, i) => {
    let base = 0;
    series.forEach((s, k) => {
      const v = s.values[i] ?? 0;
      if (v <= 0) return;
      const x = options.stacked ? xOf(i) - groupWidth / 2 : xOf(i) - groupWidth / 2 + k * barWidth;
      const y0 = options.stacked ? base : 0;
      const h = (PLOT_H * v) / max;
      bars.push(
        `<rect class="bar tone-${s.tone}" x="${x.toFixed(1)}" y="${(yOf(y0, max) - h).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}"/>`,
      );
      if (options.stacked) base += v;
    });
  });
  const rate = options.rate
    ? `${yAxis(g, 1, (n) => `${Math.round(n * 100)}%`, 'right')}${polyline(g, options.rate.values, xOf, 1, `line tone-${options.rate.tone}`)}`
    : '';
  return `${open(text, W, H)}${yAxis(g, max, formatNumber)}${bars.join('')}${rate}<line class="baseline" x1="${PAD.left}" x2="${W - PAD.right}" y1="${PAD.top + PLOT_H}" y2="${PAD.top + PLOT_H}"/>${xAxis(g, labels, xOf)}</svg>`;
}

/** A line per series with horizontal threshold lines (web-vitals' "good" and "poor" limits). */
export function lineChart(
  text: ChartText,
  labels: string[],
  series: Series[],
  thresholds: { value: number; label: string; kind: 'good' | 'poor' }[],
  format: (n: number) => string,
  g: Geometry = WIDE,
): string {
  const { W, H, PAD, PLOT_W, PLOT_H } = g;
  const yOf = yOfIn(g);
  const top = Math.max(0, ...series.flatMap((s) => s.values.map((v) => v ?? 0)), ...thresholds.map((t) => t.value));
  const max = niceMax(top * 1.1);
  const xOf = (i: number) =>
    labels.length === 1 ? PAD.left + PLOT_W / 2 : PAD.left + (PLOT_W * i) / (labels.length - 1);
  const rules = thresholds
    .map((t) => {
      const y = yOf(t.value, max).toFixed(1);
      return `<line class="threshold ${t.kind}" x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}"/><text class="threshold-label ${t.kind}" x="${W - PAD.right + 4}" y="${Number(y) + 4}">${escapeHtml(t.label)}</text>`;
    })
    .join('');
  const lines = series.map((s) => polyline(g, s.values, xOf, max, `line tone-${s.tone}`)).join('');
  return `${open(text, W, H)}${yAxis(g, max, format)}${rules}${lines}<line class="baseline" x1="${PAD.left}" x2="${W - PAD.right}" y1="${PAD.top + PLOT_H}" y2="${PAD.top + PLOT_H}"/>${xAxis(g, labels, xOf)}</svg>`;
}

/** Horizontal bars for a breakdown (label, value), largest first as given. */
export function hbarChart(text: ChartText, entries: { label: string; value: number }[]): string {
  const W = 640;
  const row = 26;
  const height = Math.max(1, entries.length) * row + 12;
  const max = Math.max(1, ...entries.map((e) => e.value));
  const labelW = 190;
  const barMax = W - labelW - 70;
  const rows = entries
    .map((e, i) => {
      const y = 6 + i * row;
      const w = Math.max(1, (barMax * e.value) / max);
      const label = e.label.length > 28 ? `${e.label.slice(0, 27)}…` : e.label;
      return `<text class="axis label" x="${labelW - 8}" y="${y + 16}" text-anchor="end">${escapeHtml(label)}</text><rect class="bar tone-1" x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${row - 8}"/><text class="axis" x="${(labelW + w + 6).toFixed(1)}" y="${y + 16}">${formatNumber(e.value)}</text>`;
    })
    .join('');
  return `${open(text, W, height)}${rows}</svg>`;
}
