/** Message lookup with `{name}` placeholders. The chosen catalog is the only one loaded. */
import { type Catalog, type MessageKey, messages } from './en-US';

let catalog: Catalog = messages;

export function setCatalog(next: Catalog): void {
  catalog = next;
}

export function t(key: MessageKey, values: Record<string, string> = {}): string {
  return catalog[key].replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
}

/** A message key for an error code, falling back to the generic message. */
export function errorMessageKey(prefix: 'error' | 'join', code: string): MessageKey {
  const key = `${prefix}.${code}`;
  return (key in catalog ? key : prefix === 'error' ? 'error.unexpected' : 'join.failed') as MessageKey;
}
