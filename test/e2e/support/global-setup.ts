import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromiumExecutable } from './chromium';

export default function checkPrerequisites(): void {
  chromiumExecutable();
  const renderer = fileURLToPath(new URL('../../../out/renderer/index.html', import.meta.url));
  if (!existsSync(renderer)) {
    throw new Error('The renderer is not built. Run `npm run build` first (npm test does this for you).');
  }
}
