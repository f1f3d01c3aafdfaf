/** One measured figure and its budget. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The budget; `atMost` figures fail above it, `atLeast` figures below it. */
  budget?: { atMost?: number; atLeast?: number };
  /** Printed beside the figure: what it was measured against. */
  note?: string;
}

export function withinBudget(figure: Figure): boolean {
  const { atMost, atLeast } = figure.budget ?? {};
  return (atMost === undefined || figure.value <= atMost) && (atLeast === undefined || figure.value >= atLeast);
}
