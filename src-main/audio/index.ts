/** Audio input: decode files to 16 kHz mono, resample, write WAV. */
export { AudioDecodeError } from './audio-decode-error.ts';
export { decodeAudioBuffer, decodeAudioFile, DEFAULT_MAX_DURATION_SEC, type DecodedAudio, type DecodeOptions } from './decode-audio.ts';
export { downmixToMono } from './downmix.ts';
export { resample, StreamingResampler, type ResamplerOptions } from './resampler.ts';
export { encodeWav } from './wav-writer.ts';
export { DEFAULT_STREAM_MAX_DURATION_SEC, openAudioStream, type AudioInput, type AudioStream } from './decode-audio-stream.ts';
