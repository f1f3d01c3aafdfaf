/**
 * The report page's stylesheet, inlined in the file. Colours are variables: light by default, dark
 * under prefers-color-scheme, and light again in print (ink on paper, bars kept in colour). Text
 * colours keep at least 4.5:1 against their backgrounds in both schemes.
 */
export const REPORT_CSS = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --panel: #f6f7f9; --border: #d8dce3; --fg: #1b1f24; --muted: #4b5563; --grid: #e3e6eb;
  --link: #0b57b8;
  --tone-1: #1f6fd1; --tone-2: #c75400; --tone-3: #148a5b; --tone-4: #a33ea1; --tone-5: #0e7f96; --tone-6: #6b7280;
  --good: #137a4b; --poor: #b42318; --ni: #8a5a00;
  --good-bg: #e3f4ea; --poor-bg: #fde8e6; --ni-bg: #fdf1d8;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #121519; --panel: #1b1f25; --border: #313741; --fg: #e6e9ee; --muted: #aab2bd; --grid: #2a3038;
    --link: #8ab8ff;
    --tone-1: #6aa8ff; --tone-2: #ff9d4d; --tone-3: #4cc38a; --tone-4: #d68ad6; --tone-5: #4fc9dc; --tone-6: #9aa3ae;
    --good: #5fd39a; --poor: #ff8a80; --ni: #f5c45b;
    --good-bg: #173826; --poor-bg: #45201d; --ni-bg: #3d3015;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body { margin: 0 auto; max-width: 1400px; padding: 24px 20px 48px;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.3rem; margin: 36px 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--border); }
h3 { font-size: 1.05rem; margin: 0 0 8px; }
h4 { font-size: 0.95rem; margin: 12px 0 4px; }
a { color: var(--link); }
.period { font-size: 1.05rem; margin: 0 0 4px; font-weight: 600; }
.note { color: var(--muted); font-size: 0.875rem; margin: 4px 0 8px; }
nav ul { display: flex; flex-wrap: wrap; gap: 8px 18px; list-style: none; padding: 0; margin: 12px 0 0; }
.kpis { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; margin: 0 0 16px; }
.kpis div { background: var(--panel); border: 1px solid var(--border); border-radius: 8px; padding: 10px 12px; }
.kpis dt { color: var(--muted); font-size: 0.8rem; }
.kpis dd { margin: 2px 0 0; font-size: 1.35rem; font-weight: 650; font-variant-numeric: tabular-nums; }
.grid { display: grid; grid-template-columns: 1fr; gap: 16px; }
@media (min-width: 1100px) { .grid { grid-template-columns: 1fr 1fr; } }
.panel.wide { grid-column: 1 / -1; }
.panel.wide > .chart { max-width: 960px; }
.panel { margin: 0; background: var(--panel); border: 1px solid var(--border); border-radius: 10px; padding: 14px 16px; min-width: 0; }
.chart { display: block; width: 100%; height: auto; margin: 4px 0 8px; }
.chart .axis { fill: var(--muted); font-size: 12px; }
.chart .gridline { stroke: var(--grid); stroke-width: 1; }
.chart .baseline { stroke: var(--muted); stroke-width: 1; }
.chart .line { fill: none; stroke-width: 2.5; }
.chart .dot { stroke: none; }
.chart .threshold { stroke-width: 1.5; stroke-dasharray: 6 4; }
.chart .threshold.good { stroke: var(--good); } .chart .threshold.poor { stroke: var(--poor); }
.chart .threshold-label { font-size: 12px; } .threshold-label.good { fill: var(--good); } .threshold-label.poor { fill: var(--poor); }
${[1, 2, 3, 4, 5, 6]
  .map(
    (n) =>
      `.bar.tone-${n}, .dot.tone-${n}, .swatch.tone-${n} { fill: var(--tone-${n}); background: var(--tone-${n}); } .line.tone-${n} { stroke: var(--tone-${n}); } .swatch.line.tone-${n} { background: var(--tone-${n}); }`,
  )
  .join('\n')}
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; list-style: none; padding: 0; margin: 0 0 4px; font-size: 0.85rem; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
.swatch.line { height: 3px; width: 16px; vertical-align: 3px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.82rem; font-variant-numeric: tabular-nums; margin: 6px 0 4px; }
caption { text-align: left; color: var(--muted); font-size: 0.8rem; padding: 2px 0 4px; }
th, td { padding: 3px 8px; border-bottom: 1px solid var(--border); text-align: left; }
thead th { font-weight: 600; border-bottom: 2px solid var(--border); }
tbody th { font-weight: 500; white-space: nowrap; }
td.num { text-align: right; }
thead th:not(:first-child) { text-align: right; }
table.codes thead th:nth-child(2) { text-align: left; }
.vitals { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 8px 24px; }
.vital h4 { margin-bottom: 2px; }
.rating { display: inline-block; font-weight: 500; font-size: 0.8rem; padding: 1px 8px; border-radius: 10px; margin: 0 0 2px; }
.rating.good { color: var(--good); background: var(--good-bg); }
.rating.needs-improvement { color: var(--ni); background: var(--ni-bg); }
.rating.poor { color: var(--poor); background: var(--poor-bg); }
.rating.none { color: var(--muted); }
.breakdowns { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 4px 16px; }
footer { margin-top: 32px; }
@media (max-width: 600px) {
  body { padding: 16px 10px 32px; font-size: 14px; }
  .panel { padding: 10px 8px; border-radius: 8px; }
  .kpis { grid-template-columns: repeat(2, 1fr); }
  .kpis dd { font-size: 1.15rem; }
  th, td { padding: 3px 5px; }
  .vitals, .breakdowns { grid-template-columns: 1fr; }
}
@media print {
  :root {
    --bg: #ffffff; --panel: #ffffff; --border: #c9ced6; --fg: #000000; --muted: #3f4650; --grid: #e3e6eb;
    --tone-1: #1f6fd1; --tone-2: #c75400; --tone-3: #148a5b; --tone-4: #a33ea1; --tone-5: #0e7f96; --tone-6: #6b7280;
    --good: #137a4b; --poor: #b42318; --ni: #8a5a00; --good-bg: #e3f4ea; --poor-bg: #fde8e6; --ni-bg: #fdf1d8;
  }
  @page { margin: 14mm 12mm; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  .grid { grid-template-columns: 1fr; }
  .panel { break-inside: avoid; border-radius: 0; }
  .chart, .panel.wide > .chart { max-width: 150mm; }
  .pool { break-before: page; }
  .pool:first-of-type { break-before: auto; }
  table { font-size: 8.5pt; }
  tr { break-inside: avoid; }
}
`;
