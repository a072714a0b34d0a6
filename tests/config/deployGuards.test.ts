/**
 * Config validation of the deploy guards of issue 11: `aws:allowedAccountIds` (set in both stacks,
 * placeholder 111111111111, must include the replication source account) and
 * `replication.managed.previewRoleArn` (a read-only role in the DR account, not the deploy role).
 */
import { strict as assert } from "node:assert";
import { parseStackConfig } from "../../config";
import { tryParse } from "../helpers/config";
import { stackConfig } from "../helpers/preview";

describe("aws:allowedAccountIds", () => {
    it("both committed stacks set it to the placeholder main account, and it includes the replication source account", () => {
        for (const stack of ["dev", "prod"]) {
            const { config } = parseStackConfig(stackConfig(stack), stack);
            assert.deepEqual(config.allowedAccountIds, ["111111111111"], stack);
            assert.ok(config.replication.sourceAccountId !== undefined && config.allowedAccountIds.includes(config.replication.sourceAccountId), stack);
        }
    });

    it("refuses unquoted numbers, an empty list and a list without the source account, with the full key", () => {
        const withIds = (ids: unknown) => ({ ...stackConfig("prod"), "aws:allowedAccountIds": ids });
        const unquoted = tryParse(withIds([111111111111]), "prod").problems;
        assert.equal(unquoted[0]?.key, "aws:allowedAccountIds[0]");
        assert.match(unquoted[0]?.message ?? "", /12 digits, as a quoted string/);
        assert.match(tryParse(withIds([]), "prod").problems[0]?.message ?? "", /at least one account id/);
        const other = tryParse(withIds(["333333333333"]), "prod").problems;
        assert.equal(other[0]?.key, "aws:allowedAccountIds");
        assert.match(other[0]?.message ?? "", /must include replication.sourceAccountId 111111111111/);
    });
});

describe("replication.managed.previewRoleArn", () => {
    const withPreviewRole = (arn: string) => {
        const raw = stackConfig("prod");
        const replication = raw["microbiome-backup:replication"] as { managed: Record<string, unknown> };
        replication.managed.previewRoleArn = arn;
        return raw;
    };

    it("accepts a role in the DR account", () => {
        const { config } = parseStackConfig(withPreviewRole("arn:aws:iam::222222222222:role/microbiome-backup-dr-preview"), "prod");
        assert.equal(config.replication.managed?.previewRoleArn, "arn:aws:iam::222222222222:role/microbiome-backup-dr-preview");
    });

    it("refuses a role in another account, and the deploy role itself", () => {
        const foreign = tryParse(withPreviewRole("arn:aws:iam::111111111111:role/x"), "prod").problems;
        assert.equal(foreign[0]?.key, "microbiome-backup:replication.managed.previewRoleArn");
        assert.match(foreign[0]?.message ?? "", /must be a role in the DR account 222222222222/);
        const same = tryParse(withPreviewRole("arn:aws:iam::222222222222:role/microbiome-backup-dr-deploy"), "prod").problems;
        assert.match(same[0]?.message ?? "", /must differ from deployRoleArn/);
    });
});
