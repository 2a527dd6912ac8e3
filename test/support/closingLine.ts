import Mocha from 'mocha';

/**
 * Spec output plus the closing line every test run ends with: `N passed, N failed`.
 * Pending (skipped) tests are reported as `, N skipped` so nothing is hidden.
 */
export class ClosingLineReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const { passes, failures, pending } = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
      const skipped = pending ? `, ${pending} skipped` : '';
      console.log(`${passes} passed, ${failures} failed${skipped}`);
    });
  }
}
