import {availableParallelism} from "node:os";
import {defineConfig} from "vitest/config";
import SiteSecondSequencer from "./test/sequencer.ts";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    sequence: {sequencer: SiteSecondSequencer},
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: "forks",
    // Vitest's default is one worker fewer than the cores: one on this 2-core machine. Much of a test's time is
    // spent waiting on the processes it starts (the command line, Chromium, local servers), so a worker per core.
    maxWorkers: Math.max(2, availableParallelism()),
    // The tests' servers listen on 127.0.0.1, which discovery and fetch refuse otherwise (pipeline/address-check.ts).
    env: {VCSE_SPEND_ALLOW_PRIVATE: "1"}
  }
});
