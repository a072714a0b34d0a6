/**
 * Writes temporary stack files derived from a committed one, for `runPreview([... "--config-file", f])`.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { PROJECT_DIR } from "./preview";

/**
 * Copies `Pulumi.<stack>.yaml`, lets `edit` change its `config:` mapping, writes it to a temp folder.
 *
 * @param stack the committed stack to start from (`dev` or `prod`).
 * @param edit changes the config mapping in place (fully qualified keys, e.g. `microbiome-backup:access`).
 * @returns the path of the written file.
 */
export function tempStackFile(stack: string, edit: (config: Record<string, unknown>) => void): string {
    const doc = parse(fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
    edit(doc.config);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "microbiome-backup-"));
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    fs.writeFileSync(file, stringify(doc));
    return file;
}

/** Deep copy of a JSON-like value. */
export function clone<T>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}
