/** The /dialin page's state: the pool's numbers and the search the person typed. */
import type { DialInNumber } from '../../shared/api-schema';
import { fetchDialInDirectory } from '../dialin-api';
import { createStore } from '../store';

export interface DialInState {
  phase: 'loading' | 'ready' | 'error';
  errorCode?: string;
  numbers: DialInNumber[];
  query: string;
}

export const dialInStore = createStore<DialInState>({ phase: 'loading', numbers: [], query: '' });

export async function loadDirectory(): Promise<void> {
  dialInStore.update({ phase: 'loading' });
  const result = await fetchDialInDirectory();
  if (typeof result === 'string') dialInStore.update({ phase: 'error', errorCode: result });
  else dialInStore.update({ phase: 'ready', numbers: result.numbers });
}

export function setQuery(query: string): void {
  dialInStore.update({ query });
}
