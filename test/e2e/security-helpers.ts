/** Security helpers for the security-* specs: CSP violations, script-run canaries, header checks. */
import type { BrowserContext, Page } from '@playwright/test';

export interface PageAlarms {
  /** CSP and Trusted Types violations, from the event and the console. */
  violations: string[];
  /** Dialogs opened (alert/confirm/prompt): a generated script ran. */
  dialogs: string[];
  crashes: number;
  pageErrors: string[];
}

/**
 * Watches a context: any securitypolicyviolation event or CSP console error, any dialog, crash
 * or uncaught error is recorded. Init scripts run through the DevTools protocol, outside the CSP.
 */
export async function watchForAlarms(context: BrowserContext): Promise<PageAlarms> {
  const alarms: PageAlarms = { violations: [], dialogs: [], crashes: 0, pageErrors: [] };
  await context.exposeBinding('__reportViolation', (_source, text: string) => {
    alarms.violations.push(text);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __reportViolation?: (text: string) => void }).__reportViolation;
      report?.(`${event.effectiveDirective} blocked ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  const watch = (page: Page) => {
    page.on('dialog', (dialog) => {
      alarms.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('crash', () => alarms.crashes++);
    page.on('pageerror', (error) => alarms.pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Trusted ?(Type|HTML|Script)/i.test(message.text())) {
        alarms.violations.push(message.text());
      }
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return alarms;
}

/** Over plain HTTP (these flows); HSTS is sent over HTTPS only (production.spec.ts checks it there). */
export const REQUIRED_HEADERS: Record<string, RegExp> = {
  'content-security-policy':
    /^default-src 'self'; .*connect-src 'self'.*; object-src 'none'; base-uri 'none'; .*frame-ancestors 'none'; require-trusted-types-for 'script'; trusted-types sw-bridge$/,
  'x-content-type-options': /^nosniff$/,
  'referrer-policy': /^no-referrer$/,
  'permissions-policy': /camera=\(self\), microphone=\(self\)/,
  'cross-origin-opener-policy': /^same-origin$/,
};

/** The required headers a response lacks or gets wrong, by name. */
export function headerProblems(headers: Record<string, string>): string[] {
  return Object.entries(REQUIRED_HEADERS)
    .filter(([name, pattern]) => !pattern.test(headers[name] ?? ''))
    .map(([name]) => `${name}: ${headers[name] ?? '(missing)'}`);
}
