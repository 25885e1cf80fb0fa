/** Bytes per String.fromCharCode call: well under the engine's limit on arguments. */
const chunkBytes = 0x8000;

/**
 * A file's bytes as base64, untouched: main judges the encoding (a BOM, UTF-16, a binary file),
 * which the browser's text decoding would have hidden.
 */
export async function fileAsBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let start = 0; start < bytes.length; start += chunkBytes) binary += String.fromCharCode(...bytes.subarray(start, start + chunkBytes));
  return btoa(binary);
}
