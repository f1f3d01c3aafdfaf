/** A bench that hangs (a dropped click, a server that never answers) must fail loudly, not wait forever. */
export class DeadlinePassed extends Error {}

/** The work's result, or a DeadlinePassed rejection once `seconds` have passed without one. */
export function withDeadline<T>(work: Promise<T>, seconds: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DeadlinePassed(`${name}: no result within its ${seconds} s deadline`)),
      seconds * 1000,
    );
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
