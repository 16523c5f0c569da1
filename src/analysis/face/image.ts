// Image sampling with TensorFlow.js's exact arithmetic (crop-and-resize, bilinear resize, rotation about a
// point), on plain arrays: the face models must see the same pixels they saw under TensorFlow.js.

/** An H×W image of C channels, row-major, channels last. */
export interface Picture {
  data: Uint8Array | Float32Array;
  width: number;
  height: number;
  channels: number;
}

/**
 * tf.image.cropAndResize for one box: `box` is [y1, x1, y2, x2] in 0..1 of the picture; samples outside
 * it are 0. `scale` multiplies every value (1/255 turns bytes into the models' 0..1).
 */
export function cropAndResize(
  picture: Picture,
  box: [number, number, number, number],
  size: number,
  scale = 1,
  pixel?: (x: number, y: number, channel: number) => number,
): Float32Array {
  const { data, width, height, channels } = picture;
  const [y1, x1, y2, x2] = box;
  const out = new Float32Array(size * size * channels);
  const heightScale = size > 1 ? ((y2 - y1) * (height - 1)) / (size - 1) : 0;
  const widthScale = size > 1 ? ((x2 - x1) * (width - 1)) / (size - 1) : 0;
  for (let row = 0; row < size; row++) {
    const inY = size > 1 ? y1 * (height - 1) + row * heightScale : 0.5 * (y1 + y2) * (height - 1);
    if (inY < 0 || inY > height - 1) continue;
    const top = Math.floor(inY);
    const bottom = Math.ceil(inY);
    const yLerp = inY - top;
    for (let col = 0; col < size; col++) {
      const inX = size > 1 ? x1 * (width - 1) + col * widthScale : 0.5 * (x1 + x2) * (width - 1);
      if (inX < 0 || inX > width - 1) continue;
      const left = Math.floor(inX);
      const right = Math.ceil(inX);
      const xLerp = inX - left;
      const base = (row * size + col) * channels;
      // Straight from the array unless a sampler (a rotated picture) is given: this runs for every value.
      const topRow = top * width;
      const bottomRow = bottom * width;
      for (let c = 0; c < channels; c++) {
        const topLeft = pixel ? pixel(left, top, c) : data[(topRow + left) * channels + c]!;
        const topRight = pixel ? pixel(right, top, c) : data[(topRow + right) * channels + c]!;
        const bottomLeft = pixel ? pixel(left, bottom, c) : data[(bottomRow + left) * channels + c]!;
        const bottomRight = pixel ? pixel(right, bottom, c) : data[(bottomRow + right) * channels + c]!;
        const upper = topLeft + (topRight - topLeft) * xLerp;
        const lower = bottomLeft + (bottomRight - bottomLeft) * xLerp;
        out[base + c] = (upper + (lower - upper) * yLerp) * scale;
      }
    }
  }
  return out;
}

/**
 * Reads a pixel of the picture rotated by `radians` about `center` (pixels), as tf.image.rotateWithOffset
 * does: nearest source pixel, 0 outside the picture.
 */
export function rotatedSampler({ data, width, height, channels }: Picture, radians: number, center: [number, number]) {
  const sin = Math.sin(radians);
  const cos = Math.cos(radians);
  const [centerX, centerY] = center;
  return (x: number, y: number, channel: number) => {
    const sourceX = Math.round((x - centerX) * cos - (y - centerY) * sin + centerX);
    const sourceY = Math.round((x - centerX) * sin + (y - centerY) * cos + centerY);
    if (sourceX < 0 || sourceX >= width || sourceY < 0 || sourceY >= height) return 0;
    return data[(sourceY * width + sourceX) * channels + channel]!;
  };
}

/** tf.image.resizeBilinear without corner alignment or half-pixel centres. */
export function resizeBilinear(picture: Picture, outHeight: number, outWidth: number, scale = 1): Float32Array {
  const { data, width, height, channels } = picture;
  const out = new Float32Array(outHeight * outWidth * channels);
  const rowRatio = height / outHeight;
  const colRatio = width / outWidth;
  for (let row = 0; row < outHeight; row++) {
    const sourceRow = rowRatio * row;
    const top = Math.floor(sourceRow);
    const bottom = Math.min(height - 1, Math.ceil(sourceRow));
    const rowFrac = sourceRow - top;
    for (let col = 0; col < outWidth; col++) {
      const sourceCol = colRatio * col;
      const left = Math.floor(sourceCol);
      const right = Math.min(width - 1, Math.ceil(sourceCol));
      const colFrac = sourceCol - left;
      for (let c = 0; c < channels; c++) {
        const topLeft = data[(top * width + left) * channels + c]!;
        const topRight = data[(top * width + right) * channels + c]!;
        const bottomLeft = data[(bottom * width + left) * channels + c]!;
        const bottomRight = data[(bottom * width + right) * channels + c]!;
        const upper = topLeft + (topRight - topLeft) * colFrac;
        const lower = bottomLeft + (bottomRight - bottomLeft) * colFrac;
        out[(row * outWidth + col) * channels + c] = (upper + (lower - upper) * rowFrac) * scale;
      }
    }
  }
  return out;
}

/** Mirrors each row (tf.image.flipLeftRight). */
export function flipLeftRight(values: Float32Array, size: number, channels: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let row = 0; row < size; row++)
    for (let col = 0; col < size; col++)
      for (let c = 0; c < channels; c++)
        out[(row * size + col) * channels + c] = values[(row * size + (size - 1 - col)) * channels + c]!;
  return out;
}
