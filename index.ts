/**
 * microbiome-backup — wiring only: load the validated stack configuration, declare the components,
 * export what operators need. Every setting is interpreted in `config/`; every resource lives in a
 * component under `components/`.
 */
import * as pulumi from "@pulumi/pulumi";
import { BackupBucket } from "./components/backupBucket";
import { BucketAccess } from "./components/bucketAccess";
import { resolveAccessNames } from "./config/access";
import { formatProblem } from "./config/problems";
import { loadStackConfig } from "./config";

export = () => {
    const { config, warnings } = loadStackConfig();
    const accessNames = resolveAccessNames(config);
    for (const warning of warnings) {
        void pulumi.log.warn(formatProblem(warning));
    }

    const backup = new BackupBucket("backup", {
        bucketName: config.bucket.name,
        adoptExisting: config.bucket.adoptExisting,
        forceDestroy: config.bucket.forceDestroy,
        protect: config.protect,
        encryption: config.bucket.encryption,
        lifecycle: config.bucket.lifecycle,
    });

    const access = new BucketAccess("access", {
        bucketArn: backup.bucketArn,
        region: config.region,
        names: accessNames,
        accessKeys: config.access.machineUser.accessKeys,
        keyPrefixes: config.access.keyPrefixes,
        consoleBucketList: config.access.consoleBucketList,
        encryption: config.bucket.encryption,
    });

    return {
        bucketName: backup.bucketName,
        bucketArn: backup.bucketArn,
        bucketRegion: backup.bucketRegion,
        lifecycleTiers: backup.tierSummary,
        access: access.summary,
    };
};
