/**
 * A microphone's level, 0..1, measured with Web Audio (never recorded). Sampled every 50 ms over a
 * ~43 ms window, so short sounds are not missed between samples, and held with a decay like a real
 * meter's peak; the listener hears about it 10 times a second.
 */
const SAMPLE_MS = 50;
const REPORT_EVERY = 2;
const DECAY = 0.7;

export function watchLevel(stream: MediaStream, listener: (level: number) => void): () => void {
  const context = new AudioContext();
  const source = context.createMediaStreamSource(stream);
  const analyser = context.createAnalyser();
  analyser.fftSize = 2048;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  let peak = 0;
  let tick = 0;
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const s of samples) sum += s * s;
    // RMS, scaled so normal speech fills most of the meter.
    peak = Math.max(peak * DECAY, Math.min(1, Math.sqrt(sum / samples.length) * 4));
    if (++tick % REPORT_EVERY === 0) listener(peak < 0.005 ? 0 : peak);
  }, SAMPLE_MS);
  // A context made before a gesture starts suspended; the join click is one.
  void context.resume().catch(() => {});
  return () => {
    clearInterval(timer);
    source.disconnect();
    void context.close().catch(() => {});
  };
}
