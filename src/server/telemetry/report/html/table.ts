/** Data tables that follow each chart: a caption, column headers, row headers, numbers right-aligned. */
import { escapeHtml, formatNumber } from './svg';

export type TableCell = string | number | null;

/** `owner` (the pool) makes the scroll region's name unique on the page, as landmarks' names must be. */
export function dataTable(
  owner: string,
  caption: string,
  headers: string[],
  rows: TableCell[][],
  className = '',
): string {
  const head = headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map(
      (row) =>
        `<tr>${row
          .map((cell, i) => {
            if (i === 0) return `<th scope="row">${escapeHtml(String(cell ?? ''))}</th>`;
            if (cell === null) return '<td class="num">–</td>';
            if (typeof cell === 'number') return `<td class="num">${formatNumber(cell)}</td>`;
            return `<td${/^[\d.,]+%$/.test(cell) ? ' class="num"' : ''}>${escapeHtml(cell)}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('');
  // The wrapper scrolls sideways on narrow screens; focusable and named, so a keyboard can scroll it.
  return `<div class="table-wrap" tabindex="0" role="region" aria-label="${escapeHtml(`${caption}, ${owner}`)}"><table class="${className}"><caption>${escapeHtml(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

export const percentCell = (rate: number | null): string | null =>
  rate === null ? null : `${formatNumber(Math.round(rate * 1000) / 10)}%`;

/** A legend for the series of a chart; the swatches are decoration, the names are text. */
export function legend(items: { name: string; tone: number; kind?: 'bar' | 'line' }[]): string {
  return `<ul class="legend">${items
    .map(
      (i) =>
        `<li><span class="swatch ${i.kind ?? 'bar'} tone-${i.tone}" aria-hidden="true"></span>${escapeHtml(i.name)}</li>`,
    )
    .join('')}</ul>`;
}

export function figure(id: string, heading: string, body: string, wide = false): string {
  return `<figure class="panel${wide ? ' wide' : ''}" aria-labelledby="${id}-h"><h3 id="${id}-h">${escapeHtml(heading)}</h3>${body}</figure>`;
}
