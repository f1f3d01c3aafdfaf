import { useEffect, useRef } from 'preact/hooks';

/**
 * A MediaStream in a <video>. The person's own view is muted (never hear yourself) and mirrored;
 * another's plays its sound too, on the chosen speaker where the browser can choose.
 */
export function VideoView({
  stream,
  self,
  hidden,
  speaker,
  label,
}: {
  stream?: MediaStream;
  self: boolean;
  hidden: boolean;
  speaker?: string;
  label: string;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (!video || video.srcObject === (stream ?? null)) return;
    video.srcObject = stream ?? null;
    // Autoplay may be refused until a gesture; the join click was one, so this rarely fails.
    if (stream) void video.play().catch(() => {});
  }, [stream]);
  useEffect(() => {
    const video = ref.current as (HTMLVideoElement & { setSinkId?: (id: string) => Promise<void> }) | null;
    if (!self && speaker && video?.setSinkId) void video.setSinkId(speaker).catch(() => {});
  }, [speaker, self]);
  return (
    <video
      ref={ref}
      class={`video${self ? ' mirror' : ''}${hidden ? ' off' : ''}`}
      autoplay
      playsInline
      muted={self}
      aria-label={label}
    />
  );
}
