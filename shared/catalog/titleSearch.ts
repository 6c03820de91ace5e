/**
 * Search by words of the title, case- and accent-insensitive: "amelie" finds "Amélie", "star wa"
 * finds "Star Wars". The index is the catalog's titles as one normalized string, one title per line
 * in best-first order, so the first hits are the best-ranked titles and a search stops once it has
 * enough.
 */
export function normalizeForSearch(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9\n]+/g, " ");
}

export class TitleSearchIndex {
  private readonly text: string;
  /** Where each title's line starts in `text`. */
  private readonly lineStarts: Uint32Array;

  /** `normalizedLines`: every title normalized (`normalizeForSearch`), one per line, best first. */
  constructor(normalizedLines: string, titleCount: number) {
    this.text = `\n${normalizedLines}\n`;
    this.lineStarts = new Uint32Array(titleCount + 1);
    let at = 0;
    for (let i = 0; i <= titleCount; i++) {
      this.lineStarts[i] = at + 1;
      at = this.text.indexOf("\n", at + 1);
      if (at < 0) at = this.text.length - 1;
    }
  }

  /** Indexes of titles having a word that starts with each query word, best first. */
  find(normalizedQuery: string, limit: number, accept: (index: number) => boolean): number[] {
    const words = normalizedQuery.split(/\s+/).filter((w) => w.length > 0);
    if (words.length === 0 || limit <= 0) return [];
    const anchor = words.reduce((longest, w) => (w.length > longest.length ? w : longest));
    const found: number[] = [];
    let from = 0;
    while (found.length < limit) {
      const at = this.text.indexOf(anchor, from);
      if (at < 0) break;
      const before = this.text.charCodeAt(at - 1);
      if (before !== 32 && before !== 10) {
        from = at + 1;
        continue;
      }
      const index = this.lineOf(at);
      const line = ` ${this.text.slice(this.lineStarts[index]!, this.lineStarts[index + 1]! - 1)}`;
      if (words.every((w) => line.includes(` ${w}`)) && accept(index)) found.push(index);
      from = this.lineStarts[index + 1]!;
    }
    return found;
  }

  private lineOf(position: number): number {
    let low = 0;
    let high = this.lineStarts.length - 2;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid]! <= position) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}
