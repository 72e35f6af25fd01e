import { TestEnvironment } from 'jest-environment-node';

/**
 * Node's test environment, quiet about what Nest logs (held back by test/support/hold-back-logs.ts):
 * a passing test's expected errors are dropped, a failing test or hook prints what it logged.
 */
export default class QuietEnvironment extends TestEnvironment {
  handleTestEvent(event) {
    const logs = this.global.heldBackLogs;
    if (logs === undefined) return;
    if (event.name === 'test_start') logs.drop();
    else if ((event.name === 'test_done' && event.test.errors.length > 0) || event.name === 'hook_failure')
      logs.print();
  }
}
