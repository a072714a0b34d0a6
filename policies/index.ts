/**
 * Policy pack entry: `pulumi preview --policy-pack policies` loads this file. It only constructs the
 * pack (the constructor starts the analyzer's gRPC server, so nothing else may import this file);
 * the policies live in `all.ts` and its domain modules.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./all";

new PolicyPack(PACK_NAME, {
    policies,
    description: "Guardrails of the microbiome-backup stack: S3 data safety, least-privilege IAM, replication, FSx for Lustre and EC2 hardening.",
    provider: "aws",
    enforcementLevel: "mandatory",
});
