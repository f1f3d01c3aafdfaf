/** A microphone's level, 0..1, measured with Web Audio about 10 times a second (never recorded). */
const INTERVAL_MS = 100;

export function watchLevel(stream: MediaStream, listener: (level: number) => void): () => void {
  const context = new AudioContext();
  const source = context.createMediaStreamSource(stream);
  const analyser = context.createAnalyser();
  analyser.fftSize = 512;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const s of samples) sum += s * s;
    // RMS, scaled so normal speech fills most of the meter.
    listener(Math.min(1, Math.sqrt(sum / samples.length) * 4));
  }, INTERVAL_MS);
  // A context made before a gesture starts suspended; the join click is one.
  void context.resume().catch(() => {});
  return () => {
    clearInterval(timer);
    source.disconnect();
    void context.close().catch(() => {});
  };
}
