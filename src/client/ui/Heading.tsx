import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/** A screen's heading that takes focus when the screen appears, so screen readers announce it. */
export function Heading({ children, testId }: { children: ComponentChildren; testId?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} data-testid={testId}>
      {children}
    </h1>
  );
}
