#!/usr/bin/env node
/**
 * Renders the Consentry app icon from build/icon.svg (the one source of truth) to:
 *
 *   build/icon.png              1024x1024, macOS icon grid (824 tile + drop shadow margin).
 *                               electron-builder converts it to .icns (mac) and .ico (win).
 *   build/icons/<N>x<N>.png     N = 16, 32, 48, 64, 128, 256, 512. Linux icon set
 *                               (`linux.icon: build/icons`; electron-builder reads the
 *                               "<N>x<N>.png" names) and a quick legibility check. These are
 *                               cropped to the tile, without the tile's drop shadow, so the
 *                               small sizes spend every pixel on the tile and the shield; at
 *                               <= SIMPLIFY_AT_OR_BELOW px the emblem is also simplified (no
 *                               two-tone shading or shadow, larger shield, bolder check).
 *
 * Re-run after editing icon.svg (from the repository root):
 *
 *   node build/render-icons.mjs
 *
 * It needs a Chromium/Chrome binary for playwright-core (a devDependency; no browser download):
 * CHROMIUM_PATH=/path/to/chrome, else the first of the well-known paths below that exists,
 * else Playwright's own browser if `npx playwright install chromium` was run.
 * The PNGs are committed, so packaging does not run this script.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const buildDir = dirname(fileURLToPath(import.meta.url));
const svgPath = join(buildDir, 'icon.svg');

/** Canvas size of icon.svg and the tile's bounds inside it (see #tile in icon.svg). */
const MASTER_SIZE = 1024;
const TILE_VIEWBOX = '100 100 824 824';
const SET_SIZES = [16, 32, 48, 64, 128, 256, 512];
const SIMPLIFY_AT_OR_BELOW = 32;
/** Small-size emblem: scaled about the shield's centre, check stroke in master units. */
const SMALL_EMBLEM = { scale: 1.12, centre: [512, 515], checkStroke: 92 };

const CANDIDATE_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];

function browserExecutable() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return CANDIDATE_BROWSERS.find((candidate) => existsSync(candidate)); // undefined: Playwright's own
}

/** Width and height from a PNG's IHDR chunk, to check what Chromium wrote. */
function pngSize(buffer) {
  const signature = '89504e470d0a1a0a';
  if (buffer.subarray(0, 8).toString('hex') !== signature || buffer.subarray(12, 16).toString('latin1') !== 'IHDR') {
    throw new Error('not a PNG');
  }
  return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20) };
}

/**
 * @param {import('playwright-core').Page} page
 * @param {string} svg icon.svg's markup
 * @param {{ size: number, cropToTile: boolean, simplify?: boolean }} options
 */
async function render(page, svg, { size, cropToTile, simplify = false }) {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(
    `<!doctype html><html><head><style>html,body{margin:0;padding:0;background:transparent;overflow:hidden}svg{display:block}</style></head><body>${svg}</body></html>`,
  );
  await page.evaluate(
    ({ size, cropToTile, simplify, tileViewBox, small }) => {
      const root = document.querySelector('svg');
      root.setAttribute('width', String(size));
      root.setAttribute('height', String(size));
      if (cropToTile) {
        root.setAttribute('viewBox', tileViewBox);
        document.getElementById('tile-group').removeAttribute('filter');
      }
      if (simplify) {
        const [cx, cy] = small.centre;
        document.getElementById('emblem').setAttribute(
          'transform',
          `translate(${cx} ${cy}) scale(${small.scale}) translate(${-cx} ${-cy})`,
        );
        document.getElementById('shield').removeAttribute('filter');
        document.getElementById('shield-shade').remove();
        document.getElementById('check').setAttribute('stroke-width', String(small.checkStroke));
      }
    },
    { size, cropToTile, simplify, tileViewBox: TILE_VIEWBOX, small: SMALL_EMBLEM },
  );
  const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
  const actual = pngSize(png);
  if (actual.width !== size || actual.height !== size) {
    throw new Error(`expected ${size}x${size}, Chromium wrote ${actual.width}x${actual.height}`);
  }
  return png;
}

async function main() {
  const svg = await readFile(svgPath, 'utf8');
  const browser = await chromium.launch({
    executablePath: browserExecutable(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--force-color-profile=srgb', '--hide-scrollbars'],
  });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    const written = [];

    const master = join(buildDir, 'icon.png');
    await writeFile(master, await render(page, svg, { size: MASTER_SIZE, cropToTile: false }));
    written.push(master);

    const setDir = join(buildDir, 'icons');
    await mkdir(setDir, { recursive: true });
    for (const size of SET_SIZES) {
      const file = join(setDir, `${size}x${size}.png`);
      await writeFile(file, await render(page, svg, { size, cropToTile: true, simplify: size <= SIMPLIFY_AT_OR_BELOW }));
      written.push(file);
    }
    console.log(`rendered ${written.length} icons:\n  ${written.join('\n  ')}`);
  } finally {
    await browser.close();
  }
}

await main();
