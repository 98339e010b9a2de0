/** Mono as the mean of the channels. A single channel is returned as is (not copied). */
export function downmixToMono(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 0) throw new Error('downmixToMono: channels is empty');
  if (channels.length === 1) return channels[0];
  const frames = channels[0].length;
  for (const [i, ch] of channels.entries()) {
    if (ch.length !== frames) throw new Error(`downmixToMono: channel ${i} has ${ch.length} samples, channel 0 has ${frames}`);
  }
  const out = new Float32Array(frames);
  const acc = new Float64Array(frames);
  for (const ch of channels) {
    for (let i = 0; i < frames; i++) acc[i] += ch[i];
  }
  const scale = 1 / channels.length;
  for (let i = 0; i < frames; i++) out[i] = acc[i] * scale;
  return out;
}
