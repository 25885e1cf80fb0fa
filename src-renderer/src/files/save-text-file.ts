/**
 * Hands a file the console produced to the browser's download flow: Electron asks the admin where
 * to save it, Chromium (browser bridge) saves it to the downloads folder.
 */
export function saveTextFile(fileName: string, content: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Give the download a moment to start before the blob is released.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
