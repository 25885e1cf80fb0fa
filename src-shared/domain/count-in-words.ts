/** "1 app password", "3 app passwords", "1,204 grants": a count with its noun, as messages write it. */
export function countInWords(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}
