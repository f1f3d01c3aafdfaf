/**
 * The census breakdown's device classes. The page sends a model name only where the browser's
 * Client Hints give one (Chrome on Android: "Pixel 8"); otherwise Desktop, iPad, iPhone or Mobile.
 */
export const DEVICE_CLASSES = ['Desktop', 'Phone', 'Tablet', 'Android (named model)', 'Unknown'] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

export function deviceClassOf(deviceModel: string): DeviceClass {
  switch (deviceModel) {
    case 'Desktop':
      return 'Desktop';
    case 'iPhone':
    case 'Mobile':
      return 'Phone';
    case 'iPad':
      return 'Tablet';
    case '':
      return 'Unknown';
    default:
      // Client Hints name Android models only; the name alone does not tell a phone from a tablet.
      return 'Android (named model)';
  }
}
