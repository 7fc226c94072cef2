// Suggests the closest known word for a misspelt one ("paramters" → "parameters"), for every tool's messages.

/** Levenshtein distance between two strings. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** How lenient a suggestion is. */
export interface DidYouMeanOptions {
  /** Whether 3 letters or more that start a candidate suggest it ("para" → "parameters"); default true. */
  prefixes?: boolean;
}

/**
 * Returns the candidate nearest to `word`, ignoring case, when it is a plausible typo (at most 2 edits, fewer for
 * short words, or a prefix of 3 letters or more unless `prefixes` is false), else undefined.
 */
export function didYouMean(
  word: string,
  candidates: Iterable<string>,
  options: DidYouMeanOptions = {},
): string | undefined {
  const prefixes = options.prefixes ?? true;
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const other = candidate.toLowerCase();
    const d = prefixes && other.startsWith(lower) && lower.length >= 3 ? 1 : distance(lower, other);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.min(2, Math.max(1, Math.floor(lower.length / 3))) ? best : undefined;
}

/**
 * " (did you mean `x`?)" for a plausible typo of one of `candidates`, else "": to append to a message. Prefixes do
 * not count: run names (metrics, parameters, nodes) are often prefixes of one another (`loss`, `lossHistory`).
 */
export function didYouMeanHint(word: string, candidates: Iterable<string>): string {
  const closest = didYouMean(word, candidates, { prefixes: false });
  return closest === undefined ? "" : ` (did you mean \`${closest}\`?)`;
}
