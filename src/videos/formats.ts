// What ffprobe's names say about an upload: whether it is a still or animated image rather than a video,
// and which of our extensions (hence which content type when served) its container should be kept under.
import type { VideoInfo } from '../analysis/media.ts';

/**
 * Image codecs as ffprobe names them. Motion JPEG (`mjpeg`) is not among them: cameras record it in
 * AVI and QuickTime; a JPEG file is still caught by its container (`image2`, `jpeg_pipe`).
 */
const IMAGE_CODECS = new Set([
  'gif',
  'png',
  'apng',
  'webp',
  'bmp',
  'tiff',
  'jpeg2000',
  'jpegls',
  'jpegxl',
  'qoi',
  'pam',
  'pbm',
  'pgm',
  'pgmyuv',
  'ppm',
  'pcx',
  'psd',
  'sgi',
  'sunrast',
  'targa',
  'xbm',
  'xpm',
  'xwd',
  'dds',
  'dpx',
  'exr',
  'hdr',
  'photocd',
]);

/** Image demuxers: ffmpeg's image-file readers are `image2` and the `*_pipe` ones (`jpeg_pipe`…). */
const IMAGE_CONTAINERS = new Set(['image2', 'image2pipe', 'gif', 'apng', 'ico', 'jpegxl_anim', 'webp']);

const imageName = (codec: string) => (codec === 'mjpeg' ? 'jpeg' : codec);

/** Why the probed file is an image rather than a video (naming its format), or null for a video. */
export function imageFormatOf(info: Pick<VideoInfo, 'codec' | 'container'>): string | null {
  const containers = info.container.split(',');
  const container = containers.find((name) => IMAGE_CONTAINERS.has(name) || name.endsWith('_pipe'));
  if (container) return container === 'image2' ? imageName(info.codec) : container.replace(/_pipe$/, '');
  if (IMAGE_CODECS.has(info.codec)) return `${info.codec} image`;
  return null;
}

/**
 * The extension to keep a video under, from its container rather than its name, so that it is served
 * with the content type of what it holds (a WebM recording named .mp4 is served as video/webm). QuickTime
 * and MP4 share one demuxer, so either of their names is kept; other containers keep the name's.
 */
export function storedExtension(container: string, uploadedExtension: string): string {
  const names = container.split(',');
  if (names.includes('webm') || names.includes('matroska')) return '.webm';
  if (names.includes('avi')) return '.avi';
  if (names.includes('mov') || names.includes('mp4')) return uploadedExtension === '.mov' ? '.mov' : '.mp4';
  return uploadedExtension;
}
