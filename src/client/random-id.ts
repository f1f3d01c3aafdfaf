/**
 * Random ids from getRandomValues, which (unlike crypto.randomUUID) exists in insecure contexts
 * too: a page on plain http other than localhost (`http://meet.contoso.test:8080`) still works.
 */
export function randomUuid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A telemetry event id: the same, without dashes. */
export function eventId(): string {
  return randomUuid().replaceAll('-', '');
}
