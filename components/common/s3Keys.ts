/**
 * The S3 object key length rule, shared by every check of a key or key prefix (access prefixes,
 * lifecycle and replication filters, sync destinations): a key is at most 1,024 bytes of UTF-8 —
 * bytes, not characters (S3 User Guide "Naming Amazon S3 objects").
 */

/** Longest S3 object key, in bytes of UTF-8. */
export const S3_MAX_KEY_BYTES = 1024;

/**
 * Whether a key or key prefix is within S3's key length.
 *
 * @param key the key or prefix as it would be sent.
 */
export function fitsS3KeyLength(key: string): boolean {
    return Buffer.byteLength(key, "utf8") <= S3_MAX_KEY_BYTES;
}

/** The message for a key or prefix over the limit. */
export const S3_KEY_LENGTH_MESSAGE = `at most ${S3_MAX_KEY_BYTES} bytes of UTF-8 (S3 object key limit, S3 User Guide "Naming Amazon S3 objects")`;
