/**
 * The picture behind a demo AI detection: a small SVG street-scene sketch with the detector's
 * bounding box and label, served by the app at `/media/detections/<externalId>.svg`. Drawn from
 * the external id alone, so the same detection always shows the same picture and no image files
 * need to be stored or fetched.
 */
import { hashString, Rng } from './random.js';

const WIDTH = 320;
const HEIGHT = 240;

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Rounded for a compact, stable document. */
function n(x: number): string {
  return String(Math.round(x * 10) / 10);
}

/**
 * SVG (image/svg+xml) of a detection: road, buildings, a rider, and a labelled box.
 * @param confidence 0..1, printed with two decimals.
 */
export function renderDetectionSvg(externalId: string, label: string, confidence: number): string {
  const rng = new Rng(hashString(externalId), 'detection-image');
  const horizon = 92 + rng.int(24);
  const parts: string[] = [];
  parts.push(`<rect width="${WIDTH}" height="${horizon}" fill="#c9d6e3"/>`);

  // Buildings along the horizon, heights and shades varying by detection.
  for (let x = 0; x < WIDTH; ) {
    const w = 28 + rng.int(40);
    const h = 30 + rng.int(60);
    const shade = 150 + rng.int(60);
    parts.push(`<rect x="${x}" y="${horizon - h}" width="${w}" height="${h}" fill="rgb(${shade},${shade - 6},${shade - 14})"/>`);
    for (let wy = horizon - h + 8; wy < horizon - 10; wy += 14) {
      parts.push(`<rect x="${x + 6}" y="${wy}" width="${Math.max(6, w - 12)}" height="5" fill="#8aa0b4" opacity="0.6"/>`);
    }
    x += w + 2;
  }

  // Road in perspective with lane markings toward a vanishing point.
  const vanish = 130 + rng.int(60);
  parts.push(`<polygon points="0,${HEIGHT} ${WIDTH},${HEIGHT} ${vanish + 40},${horizon} ${vanish - 40},${horizon}" fill="#5b5f66"/>`);
  parts.push(`<rect y="${horizon}" width="${WIDTH}" height="${HEIGHT - horizon}" fill="#5b5f66" opacity="0.35"/>`);
  for (let i = 0; i < 5; i++) {
    const t0 = i / 5;
    const t1 = t0 + 0.1;
    const y0 = horizon + (HEIGHT - horizon) * t0;
    const y1 = horizon + (HEIGHT - horizon) * t1;
    const x0 = vanish + (WIDTH / 2 - vanish) * t0;
    const x1 = vanish + (WIDTH / 2 - vanish) * t1;
    parts.push(`<line x1="${n(x0)}" y1="${n(y0)}" x2="${n(x1)}" y2="${n(y1)}" stroke="#f2f2f2" stroke-width="${n(1 + 4 * t0)}"/>`);
  }

  // The rider: wheels, frame, body, head; a delivery box on the back.
  const rx = 60 + rng.int(180);
  const ry = horizon + 40 + rng.int(HEIGHT - horizon - 70);
  const s = 0.8 + (ry - horizon) / 160;
  parts.push(
    `<g transform="translate(${rx} ${ry}) scale(${n(s)})" stroke="#222" stroke-width="3" fill="none">` +
      `<circle cx="-16" cy="0" r="9"/><circle cx="16" cy="0" r="9"/>` +
      `<path d="M-16 0 L-2 -14 L16 0 M-2 -14 L10 -16"/>` +
      `<path d="M-4 -15 L0 -34" stroke="#1f6feb" stroke-width="6"/>` +
      `<circle cx="1" cy="-40" r="6" fill="#f0c419"/>` +
      `<rect x="-22" y="-34" width="14" height="14" fill="#f2a33a" stroke="#a35d00" stroke-width="1.5"/>` +
      `</g>`,
  );

  // The detector's box around the rider, with its label above.
  const bw = 64 * s;
  const bh = 64 * s;
  const bx = rx - bw / 2;
  const by = ry - 50 * s;
  const caption = `${escapeXml(label)} ${confidence.toFixed(2)}`;
  const tagW = 8 + caption.length * 6.6;
  parts.push(`<rect x="${n(bx)}" y="${n(by)}" width="${n(bw)}" height="${n(bh)}" fill="none" stroke="#ff3b30" stroke-width="2.5"/>`);
  parts.push(`<rect x="${n(bx)}" y="${n(by - 16)}" width="${n(tagW)}" height="16" fill="#ff3b30"/>`);
  parts.push(`<text x="${n(bx + 4)}" y="${n(by - 4)}" font-family="monospace" font-size="11" fill="#fff">${caption}</text>`);
  parts.push(`<text x="6" y="${HEIGHT - 6}" font-family="monospace" font-size="9" fill="#eee">${escapeXml(externalId)}</text>`);

  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${caption}">` +
    parts.join('') +
    `</svg>`
  );
}
