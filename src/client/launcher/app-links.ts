/**
 * Links into the meetings app, per platform. Desktop: the pool's scheme on the conference URI,
 * detected by the page. Android: an intent that falls back to the store when the app is missing.
 * iOS: the app's scheme to open, the App Store's scheme to get it.
 */
import type { Platform } from './platform';

export const ANDROID_PACKAGE = 'com.microsoft.teams';
export const IOS_APP_STORE_URL = 'itms-apps://apps.apple.com/app/id1113153706';
const PLAY_STORE_URL = `https://play.google.com/store/apps/details?id=${ANDROID_PACKAGE}`;

export interface AppLinks {
  /** Opens the meeting in the app (join-desktop). */
  open: string;
  /** Gets the app (download-app). */
  get: string;
  /** Whether "get" opens a web page, so in a new tab (no app-open loop in this one). */
  getInNewTab: boolean;
}

export function appLinks(platform: Platform, scheme: string, conferenceUri: string, downloadUrl: string): AppLinks {
  const open = `${scheme}:${conferenceUri}`;
  switch (platform) {
    case 'android':
      return {
        open: `intent:${conferenceUri}#Intent;scheme=${scheme};package=${ANDROID_PACKAGE};S.browser_fallback_url=${encodeURIComponent(PLAY_STORE_URL)};end`,
        get: `intent://details?id=${ANDROID_PACKAGE}#Intent;scheme=market;package=com.android.vending;S.browser_fallback_url=${encodeURIComponent(downloadUrl)};end`,
        getInNewTab: false,
      };
    case 'ios':
      return { open, get: IOS_APP_STORE_URL, getInNewTab: false };
    case 'desktop':
      return { open, get: downloadUrl, getInNewTab: true };
  }
}
