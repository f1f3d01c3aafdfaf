/**
 * The only query parameters the launcher reads. None of them can send the page elsewhere: there is
 * no redirect, return or target parameter, and anything else in the query is ignored.
 */
export interface LaunchQuery {
  /** `?sl=1`: skip the desktop-app attempt, as the original launcher did. */
  skipLaunch: boolean;
  /** `?lang=`: the language to show, if it names one (negotiated like a browser language). */
  lang: string | null;
}

export function readLaunchQuery(search: string): LaunchQuery {
  const params = new URLSearchParams(search);
  const sl = params.get('sl');
  return { skipLaunch: sl === '1' || sl?.toLowerCase() === 'true', lang: params.get('lang') };
}
