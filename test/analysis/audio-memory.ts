// Child process for the audio-memory test in media.test.ts: reads a long audio track with readAudio and
// prints how far resident memory rose above where it stood before, beside the size of the samples.
import { probe, readAudio, type VideoInfo } from '../../src/analysis/media.ts';
import { TALKING_MALE, TOOLS } from './media-helpers.ts';

const [file, durationSec] = [process.argv[2]!, Number(process.argv[3])];
const info: VideoInfo = {
  durationSec,
  fps: 0,
  codec: 'none',
  width: 0,
  height: 0,
  rotationDeg: 0,
  hasAudio: true,
  audioCodec: 'flac',
  container: 'flac',
};
await readAudio(TALKING_MALE, await probe(TALKING_MALE, TOOLS), TOOLS); // loads what a first call loads, off the measure
const before = process.memoryUsage().rss;
const samples = await readAudio(file, info, TOOLS);
// maxRSS is the peak of the whole process in KiB; the read is the largest thing this process does.
const rise = process.resourceUsage().maxRSS * 1024 - before;
console.log(JSON.stringify({ samplesBytes: samples!.byteLength, rise }));
