import QRCode from 'qrcode';
import sharp from 'sharp';
import { SHARE_LIMITS } from '@shopfleet/contracts';
import { IMAGE_INPUT } from '../../kernel/images';

const W = SHARE_LIMITS.posterWidth;
const H = SHARE_LIMITS.posterHeight;
const PAD = 40;
const PICTURE = W - PAD * 2;
const PICTURE_TOP = 150;
const AVATAR = 88;
const AVATAR_TOP = 32;
const CODE = 220;
const CODE_TOP = 1046;
const FONT = "'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif";

/** The poster's own words (the shop's language: Chinese). */
const TEXTS = {
  recommends: '为你推荐了一件好物',
  someone: '好友',
  scanMiniProgram: '长按识别小程序码',
  scanLink: '长按或扫码查看商品',
} as const;

/** What a poster shows; images as bytes already read (bounded), or null when there is none or it could not be read. */
export interface PosterInput {
  channel: 'mp-weixin' | 'h5';
  picture: Buffer | null;
  title: string;
  priceFen: number;
  shopName: string;
  sharer: { nickname: string | null; avatar: Buffer | null } | null;
  codeImage: Buffer;
}

/**
 * Draws a share poster (750 × 1334 JPEG): the sharer (avatar in a circle, nickname), the product's picture, its title on
 * at most two lines, its price in yuan, the shop's name, and the code to scan. Text is SVG drawn by librsvg with the
 * CJK fonts of the machine; images are decoded with the same limits as uploads.
 */
export async function drawPoster(input: PosterInput): Promise<Buffer> {
  const [picture, avatar, code, ...bands] = await Promise.all([
    input.picture ? fitted(input.picture, PICTURE, PICTURE).catch(() => null) : null,
    input.sharer?.avatar ? circle(input.sharer.avatar, AVATAR).catch(() => null) : null,
    fitted(input.codeImage, CODE, CODE, 'contain'),
    ...textBands(input).map(async (b) => ({ top: b.top, layer: await rendered(b.svg) })),
  ]);
  // Layers are pasted into one raw RGB canvas here: libvips' composite of a created canvas costs more than the drawing.
  const canvas = Buffer.alloc(W * H * 3, 255);
  if (picture) paste(canvas, picture, PAD, PICTURE_TOP);
  else paste(canvas, await rendered(placeholderSvg()), PAD, PICTURE_TOP);
  paste(canvas, code, W - PAD - CODE, CODE_TOP);
  for (const b of bands) paste(canvas, b.layer, 0, b.top);
  if (avatar) paste(canvas, avatar, PAD, AVATAR_TOP);
  return sharp(canvas, { raw: { width: W, height: H, channels: 3 } })
    .jpeg({ quality: 84, optimiseCoding: false })
    .toBuffer();
}

/** A QR code of `text` as a PNG of `size` pixels (error correction M, a 2-module quiet zone). */
export async function qrPng(text: string, size = 430): Promise<Buffer> {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 2;
  const cells = n + quiet * 2;
  const scale = Math.max(1, Math.floor(size / cells));
  const px = cells * scale;
  const raw = Buffer.alloc(px * px, 255);
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      if (!qr.modules.get(y, x)) continue;
      for (let dy = 0; dy < scale; dy++)
        raw.fill(
          0,
          ((y + quiet) * scale + dy) * px + (x + quiet) * scale,
          ((y + quiet) * scale + dy) * px + (x + quiet + 1) * scale,
        );
    }
  return sharp(raw, { raw: { width: px, height: px, channels: 1 } })
    .resize(size, size, { kernel: 'nearest' })
    .png({ compressionLevel: 6 })
    .toBuffer();
}

/** Renders the text layer once at start, so the first poster does not pay for loading the fonts. */
export async function warmUpFonts(): Promise<void> {
  await sharp(
    Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="32"><text x="0" y="24" font-family="${FONT}" font-size="20">分享¥</text></svg>`,
    ),
  )
    .png()
    .toBuffer();
}

type Raw = { data: Buffer; info: sharp.OutputInfo };

/** An SVG rendered to raw RGBA. */
function rendered(svg: string): Promise<Raw> {
  return sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
}

/** Pastes a raw layer (RGB, or RGBA blended over what is there) into the RGB canvas at (left, top), clipped to it. */
function paste(canvas: Buffer, layer: Raw, left: number, top: number): void {
  const { width, height, channels } = layer.info;
  const src = layer.data;
  for (let y = 0; y < height; y++) {
    const cy = top + y;
    if (cy < 0 || cy >= H) continue;
    const cols = Math.min(width, W - left);
    const row = cy * W * 3 + left * 3;
    if (channels === 3) {
      src.copy(canvas, row, y * width * 3, y * width * 3 + cols * 3);
      continue;
    }
    for (let x = 0; x < cols; x++) {
      const s = (y * width + x) * channels;
      const a = src[s + 3]!;
      if (a === 0) continue;
      const d = row + x * 3;
      if (a === 255) {
        canvas[d] = src[s]!;
        canvas[d + 1] = src[s + 1]!;
        canvas[d + 2] = src[s + 2]!;
      } else {
        canvas[d] = (src[s]! * a + canvas[d]! * (255 - a) + 127) / 255;
        canvas[d + 1] = (src[s + 1]! * a + canvas[d + 1]! * (255 - a) + 127) / 255;
        canvas[d + 2] = (src[s + 2]! * a + canvas[d + 2]! * (255 - a) + 127) / 255;
      }
    }
  }
}

/** The grey square in place of a product without a picture. */
const placeholderSvg = () =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${PICTURE}" height="${PICTURE}"><rect width="100%" height="100%" fill="#f3f3f3"/></svg>`;

/** An image resized to a box, as raw pixels (composited without encoding it again). */
function fitted(bytes: Buffer, width: number, height: number, fit: 'cover' | 'contain' = 'cover'): Promise<Raw> {
  return sharp(bytes, { ...IMAGE_INPUT, limitInputPixels: 40_000_000 })
    .rotate()
    .resize(width, height, { fit, background: '#ffffff' })
    .flatten({ background: '#ffffff' })
    .raw()
    .toBuffer({ resolveWithObject: true });
}

/** An image cut to a circle of `size` pixels (raw RGBA). */
async function circle(bytes: Buffer, size: number): Promise<Raw> {
  const mask = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><circle cx="${size / 2}" cy="${size / 2}" r="${size / 2}" fill="#fff"/></svg>`,
  );
  return sharp(bytes, { ...IMAGE_INPUT, limitInputPixels: 20_000_000 })
    .rotate()
    .resize(size, size, { fit: 'cover' })
    .ensureAlpha()
    .composite([{ input: mask, blend: 'dest-in' }])
    .raw()
    .toBuffer({ resolveWithObject: true });
}

/**
 * The poster's text as three SVG bands (the sharer or the shop at the top, the title under the picture, the price, the
 * shop and the caption at the bottom): librsvg renders only where there is text.
 */
function textBands(input: PosterInput): Array<{ top: number; svg: string }> {
  const band = (top: number, height: number, parts: string[]) => ({
    top,
    svg: `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}"><style>text{font-family:${FONT}}</style>${parts.join('')}</svg>`,
  });
  const head: string[] = [];
  const nickname = input.sharer ? input.sharer.nickname?.trim() || TEXTS.someone : null;
  if (nickname !== null) {
    // Without an avatar, the nickname's first character in a circle.
    if (!input.sharer?.avatar)
      head.push(
        `<circle cx="${PAD + AVATAR / 2}" cy="${AVATAR_TOP + AVATAR / 2}" r="${AVATAR / 2}" fill="#f2a93b"/>`,
        `<text x="${PAD + AVATAR / 2}" y="${AVATAR_TOP + AVATAR / 2 + 14}" font-size="40" fill="#ffffff" text-anchor="middle">${esc(firstChar(nickname))}</text>`,
      );
    head.push(
      `<text x="${PAD + AVATAR + 20}" y="68" font-size="30" font-weight="bold" fill="#222222">${esc(clip(nickname, 16))}</text>`,
      `<text x="${PAD + AVATAR + 20}" y="110" font-size="24" fill="#888888">${esc(TEXTS.recommends)}</text>`,
    );
  } else {
    head.push(
      `<text x="${PAD}" y="96" font-size="36" font-weight="bold" fill="#222222">${esc(clip(input.shopName, 18))}</text>`,
    );
  }
  const bands = [band(0, PICTURE_TOP, head)];
  const titleTop = PICTURE_TOP + PICTURE;
  bands.push(
    band(
      titleTop,
      CODE_TOP - 20 - titleTop,
      wrap(input.title, PICTURE, 34, 2).map(
        (line, i) => `<text x="${PAD}" y="${58 + i * 48}" font-size="34" fill="#222222">${esc(line)}</text>`,
      ),
    ),
  );
  const [yuan, fen] = yuanText(input.priceFen);
  bands.push(
    band(CODE_TOP - 20, H - CODE_TOP + 20, [
      `<line x1="${PAD}" y1="0" x2="${W - PAD}" y2="0" stroke="#eeeeee" stroke-width="2"/>`,
      `<text x="${PAD}" y="90" fill="#e4393c" font-weight="bold"><tspan font-size="34">¥</tspan><tspan font-size="60">${yuan}</tspan><tspan font-size="34">.${fen}</tspan></text>`,
      `<text x="${PAD}" y="170" font-size="26" fill="#555555">${esc(clip(input.shopName, 16))}</text>`,
      `<text x="${W - PAD - CODE / 2}" y="${20 + CODE + 34}" font-size="22" fill="#999999" text-anchor="middle">${esc(
        input.channel === 'mp-weixin' ? TEXTS.scanMiniProgram : TEXTS.scanLink,
      )}</text>`,
    ]),
  );
  return bands;
}

/** Integer fen as yuan and fen digits: 19900 → ['199', '00']. */
export function yuanText(fen: number): [string, string] {
  const abs = Math.abs(Math.trunc(fen));
  return [`${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}`, String(abs % 100).padStart(2, '0')];
}

/** A character's width in ems: CJK and other wide characters 1, the rest about half. */
const widthOf = (ch: string): number => (/[\u1100-\uffff]/.test(ch) && !/[\uff61-\uff9f]/.test(ch) ? 1 : 0.56);

/** Text broken into at most `maxLines` lines of `width` pixels at `fontSize`, the last one ending in … when cut. */
export function wrap(text: string, width: number, fontSize: number, maxLines: number): string[] {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const w = widthOf(ch) * fontSize;
    if (used + w > width) {
      if (lines.length === maxLines - 1) {
        lines.push(ellipsis(line, width, fontSize));
        return lines;
      }
      lines.push(line);
      line = '';
      used = 0;
      if (ch === ' ') continue;
    }
    line += ch;
    used += w;
  }
  if (line) lines.push(line);
  return lines;
}

function ellipsis(line: string, width: number, fontSize: number): string {
  const chars = [...line];
  let used = chars.reduce((n, ch) => n + widthOf(ch) * fontSize, 0);
  while (chars.length && used + fontSize > width) used -= widthOf(chars.pop()!) * fontSize;
  return `${chars.join('')}…`;
}

const clip = (text: string, max: number): string => {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
};

const firstChar = (text: string): string => [...text][0] ?? '';

/** XML-escaped, without the control characters XML refuses. */
const esc = (text: string): string =>
  [...text]
    .filter((c) => c.charCodeAt(0) >= 0x20 || c === '\t' || c === '\n' || c === '\r')
    .join('')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
