/**
 * Prints the one summary line CI and people look for, as the very last line of the run. A suite that failed outside
 * its tests (it could not load, or a beforeAll/afterAll hook threw) counts as one failure: its tests may all have passed.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const brokenSuites = results.testResults.filter((suite) => suite.testExecError || (suite.failureMessage && suite.numFailingTests === 0)).length;
    const line = `tests: ${results.numPassedTests} passed, ${results.numFailedTests + brokenSuites} failed\n`;
    process.once('exit', () => process.stdout.write(line));
  }
}
module.exports = SummaryReporter;
