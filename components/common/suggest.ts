/**
 * "Did you mean …?" for unknown config keys, namespaces and names: the closest candidate by
 * Levenshtein distance, computed by `fastest-levenshtein` (pinned 1.0.16,
 * https://github.com/ka-weihe/fastest-levenshtein), compared case-insensitively.
 */
import { distance } from "fastest-levenshtein";

/**
 * The candidate closest to `word`, when it is close enough to be a likely typo: at most a third of
 * the longer word's length in edits (at least 1, at most 4), or `word` with a different case.
 *
 * @param word what was written, e.g. `defaultTag`.
 * @param candidates the valid names, e.g. the AWS provider's config keys.
 * @returns the closest candidate, or `undefined` when none is close.
 */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestDistance = Infinity;
    const lower = word.toLowerCase();
    for (const candidate of candidates) {
        const d = distance(lower, candidate.toLowerCase());
        if (d < bestDistance) {
            best = candidate;
            bestDistance = d;
        }
    }
    if (best === undefined) {
        return undefined;
    }
    const limit = Math.min(4, Math.max(1, Math.floor(Math.max(word.length, best.length) / 3)));
    return bestDistance <= limit ? best : undefined;
}
