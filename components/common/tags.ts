/**
 * AWS tag rules shared by every place a tag is configured (the bucket's own tags, the provider's
 * `aws:defaultTags`): a key of 1–128 characters not starting with the reserved `aws:` prefix, a
 * value of at most 256 characters (AWS Tagging "Tag naming limits and requirements"; S3 API `Tag`).
 */

/** Longest tag key, characters. */
export const TAG_KEY_MAX_LENGTH = 128;
/** Longest tag value, characters. */
export const TAG_VALUE_MAX_LENGTH = 256;

/**
 * What is wrong with a tag key, or `undefined` when AWS accepts it.
 *
 * @param key the tag key.
 */
export function tagKeyProblem(key: string): string | undefined {
    if (key.length < 1 || key.length > TAG_KEY_MAX_LENGTH) {
        return `a tag key is 1–${TAG_KEY_MAX_LENGTH} characters`;
    }
    if (key.toLowerCase().startsWith("aws:")) {
        return "the tag key prefix aws: is reserved for AWS; tags you set cannot use it — rename the key";
    }
    return undefined;
}

/**
 * What is wrong with a tag value, or `undefined` when AWS accepts it.
 *
 * @param value the tag value.
 */
export function tagValueProblem(value: string): string | undefined {
    return value.length > TAG_VALUE_MAX_LENGTH ? `a tag value is at most ${TAG_VALUE_MAX_LENGTH} characters` : undefined;
}
