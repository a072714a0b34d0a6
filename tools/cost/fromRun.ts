/**
 * The estimate of one evaluated program run (`runProgram`): the registrations it recorded plus the
 * stack settings the registrations cannot carry (the Region of the default provider, the bucket's
 * data model, an external DR bucket's Region), read from the same stack files.
 */
import { parseStackFiles } from "../offline/stackFiles";
import type { ProgramRun } from "../offline/run";
import { CostEstimate, estimateCost } from "./estimate";

/**
 * Estimates the monthly cost of a program run.
 *
 * @param run the recorded registrations of `runProgram`.
 * @param projectDir the project folder (with Pulumi.yaml).
 * @param configFile the stack file used instead of `Pulumi.<stack>.yaml`, if any.
 * @throws ConfigError / StackFileError as `parseStackFiles` (the run already validated the files).
 */
export function estimateRun(run: ProgramRun, projectDir: string, configFile?: string): CostEstimate {
    const { config } = parseStackFiles(projectDir, run.stack, configFile);
    return estimateCost({
        stack: run.stack,
        region: config.region,
        steps: run.steps,
        bucketName: config.bucket.name,
        dataModel: config.bucket.dataModel,
        replicationDestinationRegion: config.replication.destination?.region,
    });
}
