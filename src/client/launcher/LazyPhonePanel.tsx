import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';

type PanelModule = typeof import('../phone-chunk');
let loaded: PanelModule | undefined;
let loading: Promise<PanelModule> | undefined;

/**
 * The phone panel is its own small chunk, to keep the entry in the first TCP window. It and the
 * pool's numbers are fetched when the launcher is idle, so a tap on "Join by phone" rarely waits
 * (and works if the network drops later).
 */
export function preloadPhonePanel(): Promise<PanelModule> {
  loading ??= import('../phone-chunk').then(async (module) => {
    void module.poolNumbers();
    // Shown unstyled never; shown at all even if the stylesheet cannot load.
    await module.linkPhoneStylesheet().catch(() => undefined);
    loaded = module;
    return module;
  });
  return loading;
}

type PanelProps = { conferenceId: string; meetingPath: string };

export function LazyPhonePanel(props: PanelProps) {
  const [Panel, setPanel] = useState<FunctionComponent<PanelProps> | undefined>(() => loaded?.PhonePanel);
  useEffect(() => {
    if (!Panel) void preloadPhonePanel().then((module) => setPanel(() => module.PhonePanel));
  }, [Panel]);
  return Panel ? <Panel {...props} /> : null;
}
