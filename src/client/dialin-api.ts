/** The dial-in directory client: the /dialin page's only request. */
import type { DialInDirectory } from '../shared/api-schema';
import { API_PREFIX } from '../shared/constants';

export async function fetchDialInDirectory(): Promise<DialInDirectory | 'offline' | 'service-unreachable'> {
  try {
    const response = await fetch(`${API_PREFIX}/dialin`, { credentials: 'same-origin' });
    if (!response.ok) return 'service-unreachable';
    return (await response.json()) as DialInDirectory;
  } catch {
    return navigator.onLine === false ? 'offline' : 'service-unreachable';
  }
}
