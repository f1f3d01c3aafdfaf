/**
 * Sizes as the network counts them: UTF-8 bytes, not UTF-16 code units (`length`). A batch of
 * Japanese or Arabic error messages is up to three times its `length` on the wire, and the browser's
 * keepalive budget and the ingest's body limit are both in bytes.
 */
const encoder = new TextEncoder();

export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

export const jsonBytes = (value: unknown): number => utf8Bytes(JSON.stringify(value));
