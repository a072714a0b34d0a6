/**
 * The program's runtime requirement, checked before anything else is loaded: Node.js >= 22
 * (`engines` in package.json; the Pulumi SDK and the tools use Node 22 APIs). On an older Node the
 * process prints one line naming `scripts/with-node.sh` (which provides a suitable Node) and exits
 * 2, instead of failing later with an obscure error or — worse — seeming to work.
 *
 * Imported first by `index.ts` and by every tool's entry point (`import "../config/requireNode"`):
 * importing it runs the check.
 */

/** The lowest supported Node.js major version. */
export const MINIMUM_NODE_MAJOR = 22;

/**
 * The one-line refusal for a Node.js version, or `undefined` when it is supported.
 *
 * @param version a Node.js version without the `v`, e.g. `20.19.0` (default: this process's).
 */
export function unsupportedNodeMessage(version: string = process.versions.node): string | undefined {
    const major = Number.parseInt(version.split(".")[0] ?? "", 10);
    if (Number.isInteger(major) && major >= MINIMUM_NODE_MAJOR) {
        return undefined;
    }
    return `error: Node.js ${version} is too old: microbiome-backup needs Node.js >= ${MINIMUM_NODE_MAJOR}; run it through ./scripts/with-node.sh (e.g. ./scripts/with-node.sh npm run --silent preview:offline -- --stack dev), which provides one`;
}

const refusal = unsupportedNodeMessage();
if (refusal !== undefined) {
    process.stderr.write(`${refusal}\n`);
    process.exit(2);
}
