/**
 * Mocha's spec reporter plus one plain closing line, `tests: N passed, N failed, N skipped`, that
 * CI systems which do not parse mocha's own summary can read.
 */
import Mocha from "mocha";

/** Spec output, then the plain summary line. */
class SummaryReporter extends Mocha.reporters.Spec {
    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
        super(runner, options);
        runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
            const s = runner.stats;
            if (s) {
                process.stdout.write(`\ntests: ${s.passes} passed, ${s.failures} failed, ${s.pending} skipped\n`);
            }
        });
    }
}

export = SummaryReporter;
