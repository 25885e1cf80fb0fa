/** Entry point of the main bundle (out/main/index.js). */
import { fileURLToPath } from 'node:url';
import { runDesktopApp } from './shell/desktop-app';

runDesktopApp(fileURLToPath(new URL('.', import.meta.url)));
