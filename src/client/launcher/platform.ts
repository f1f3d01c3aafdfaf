/** Which kind of device the page runs on, as far as joining is concerned. */
export type Platform = 'android' | 'ios' | 'desktop';

export function detectPlatform(userAgent: string, maxTouchPoints: number): Platform {
  if (/Android/i.test(userAgent)) return 'android';
  if (/iPhone|iPad|iPod/i.test(userAgent)) return 'ios';
  // iPadOS reports itself as a Mac; only its touch screen tells them apart.
  if (/Macintosh/i.test(userAgent) && maxTouchPoints > 1) return 'ios';
  return 'desktop';
}
