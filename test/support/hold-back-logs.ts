import { ConsoleLogger } from '@nestjs/common';

/**
 * Jest setup file: what Nest logs during a test, and the app's JSON log lines, are held back instead of
 * printed, since negative tests make the service log the errors they provoke. test/support/quiet-environment.mjs prints the
 * held-back lines when a test or hook fails and drops them when a test starts.
 */
type Print = (this: ConsoleLogger, ...args: unknown[]) => void;
interface Printing {
  printMessages: Print;
  printStackTrace: Print;
}

const printing = ConsoleLogger.prototype as unknown as Printing;
const held: (() => void)[] = [];

for (const method of ['printMessages', 'printStackTrace'] as const) {
  const print = printing[method];
  // Every Nest logger, the testing module's included, is a ConsoleLogger that prints through these two.
  printing[method] = function (this: ConsoleLogger, ...args: unknown[]) {
    held.push(() => print.apply(this, args));
  };
}

(globalThis as { heldBackLogs?: unknown }).heldBackLogs = {
  drop: () => held.splice(0),
  print: () => held.splice(0).forEach((print) => print()),
  /** A pino destination whose JSON lines are held back the same way (test/support/test-app.ts uses it). */
  destination: {
    write(line: string) {
      held.push(() => process.stdout.write(line));
    },
  },
};
