/**
 * The stack-level settings every concern may read when it is built from its configuration section
 * (each component's `fromConfig`). Declared here, below every concern, so that components take the
 * validated configuration without importing `config/`: `config/index.ts` `StackConfig` extends it.
 */

/** Stack-wide settings, validated by `config/` before any resource is declared. */
export interface StackContext {
    /** Pulumi project name (`microbiome-backup`): the config namespace and the start of default names. */
    readonly project: string;
    /** Pulumi stack name (`dev`, `prod`, …). */
    readonly stack: string;
    /** `aws:region`: the Region of every resource of the default provider. */
    readonly region: string;
    /**
     * `microbiome-backup:protect`: data-bearing resources are `protect`ed (and retained) — Pulumi
     * refuses to delete or replace them. Default false.
     */
    readonly protect: boolean;
    /**
     * `aws:defaultTags.tags`: the tags the default provider adds to every resource; a component that
     * creates a provider of its own passes them on. Empty when unset.
     */
    readonly defaultTags: Readonly<Record<string, string>>;
}
