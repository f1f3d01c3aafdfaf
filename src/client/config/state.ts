/**
 * The page's one view of the pool's effective configuration: the config and what it says about
 * telemetry. `unknown` means the pool could not be read (or has not been yet): telemetry then
 * neither starts nor purges, so a flaky network neither sends nor destroys anything.
 */
import { PRODUCT_DEFAULTS, type WebServiceConfig } from '../../shared/config-page';
import { createStore, type Store } from '../store';

export type TelemetryVerdict = 'on' | 'off' | 'unknown';

export interface ConfigState {
  config: WebServiceConfig;
  telemetry: TelemetryVerdict;
}

export type ConfigStore = Store<ConfigState>;

/** The state for a config the pool answered with (already read by `readEffectiveConfig`). */
export function configState(config: WebServiceConfig): ConfigState {
  return { config, telemetry: config.MeetingUxEnableTelemetry ? 'on' : 'off' };
}

/** Created once, by the entry; every page area follows it. */
export function createConfigStore(initial?: ConfigState): ConfigStore {
  return createStore<ConfigState>(initial ?? { config: { ...PRODUCT_DEFAULTS }, telemetry: 'unknown' });
}
