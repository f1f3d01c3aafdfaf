/**
 * The media chunk (lazy, loaded when the prejoin shows): the device check and the call. Screens
 * reach it only through meeting/media-store.ts; swapping the mesh for an SFU client changes
 * `startCall` here and nothing on the screens.
 */
export { createLocalMedia } from './local-media';
export { startMesh as startCall } from './mesh';
export { useApiTransport } from './signal-api';
export type { Call, CallView, DeviceLists, LocalMedia, MediaProblem, TileView } from './types';
