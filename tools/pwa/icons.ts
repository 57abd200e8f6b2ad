/**
 * Draws 网格通's app icons (no internet, no design files): a red tile with a golden
 * 3×3 grid, written to web/public/m/icons. Run once after changing it:
 *   npx tsx tools/pwa/icons.ts
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import sharp from 'sharp';

const dir = resolve(import.meta.dirname, '../../web/public/m/icons');

function svg(size: number, inset: number): string {
  const s = size - 2 * inset;
  const cell = s / 3;
  const lines = [1, 2]
    .map((i) => `<line x1="${inset + i * cell}" y1="${inset}" x2="${inset + i * cell}" y2="${inset + s}"/><line x1="${inset}" y1="${inset + i * cell}" x2="${inset + s}" y2="${inset + i * cell}"/>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="${size}" height="${size}" rx="${inset ? 0 : size * 0.18}" fill="#b3202e"/><g stroke="#ffd166" stroke-width="${size * 0.035}" fill="none"><rect x="${inset}" y="${inset}" width="${s}" height="${s}" rx="${s * 0.06}"/>${lines}</g><circle cx="${size / 2}" cy="${size / 2}" r="${cell * 0.28}" fill="#ffd166"/></svg>`;
}

mkdirSync(dir, { recursive: true });
for (const [name, size, inset] of [
  ['icon-192.png', 192, 30],
  ['icon-512.png', 512, 80],
  ['icon-maskable-512.png', 512, 130],
] as const) {
  await sharp(Buffer.from(svg(size, inset)))
    .png()
    .toFile(resolve(dir, name));
}
