/**
 * Links a lazy area's stylesheet (once per page) rather than importing it: lazy chunks import no
 * CSS, so the launcher's entry carries no dependency-preload helper (build/no-preload-helper.ts)
 * and its critical stylesheet only what the first screen needs. A failed load is forgotten, so a
 * later attempt tries again.
 */
const linked = new Map<string, Promise<void>>();

export function linkStylesheet(href: string): Promise<void> {
  let loading = linked.get(href);
  if (!loading) {
    loading = new Promise<void>((resolve, reject) => {
      const link = Object.assign(document.createElement('link'), { rel: 'stylesheet', href });
      link.onload = () => resolve();
      link.onerror = () => {
        link.remove();
        linked.delete(href);
        reject(new Error(`stylesheet ${href} did not load`));
      };
      document.head.append(link);
    });
    linked.set(href, loading);
  }
  return loading;
}
