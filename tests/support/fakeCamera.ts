import { writeFile } from 'node:fs/promises';
import QRCode from 'qrcode';

const WIDTH = 640;
const HEIGHT = 480;
/** Luma of paper and ink (video range), and the neutral chroma of grey. */
const WHITE = 235;
const BLACK = 16;
const NEUTRAL = 128;

/**
 * A video file chromium plays as its camera (`--use-file-for-fake-video-capture`): a QR code of
 * `text` held still in front of the lens, as Y4M (4:2:0) frames.
 */
export async function writeQrCodeVideo(text: string, path: string, frames = 10): Promise<void> {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const quietZone = 4;
  // About half the picture's height, in its middle, as a worker holds a label up to the lens
  // (a scanner reads the middle of the picture first).
  const scale = Math.floor((0.5 * HEIGHT) / (modules.size + 2 * quietZone));
  const side = scale * (modules.size + 2 * quietZone);
  const left = Math.floor((WIDTH - side) / 2);
  const top = Math.floor((HEIGHT - side) / 2);
  const luma = Buffer.alloc(WIDTH * HEIGHT, WHITE);
  for (let row = 0; row < modules.size; row++)
    for (let column = 0; column < modules.size; column++) {
      if (modules.get(row, column) === 0) continue;
      for (let y = 0; y < scale; y++) {
        const start = (top + (row + quietZone) * scale + y) * WIDTH + left + (column + quietZone) * scale;
        luma.fill(BLACK, start, start + scale);
      }
    }
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2) * 2, NEUTRAL);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\n`);
  await writeFile(path, Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]));
}
