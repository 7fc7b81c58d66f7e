import {defineConfig} from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: "forks",
    // The tests' servers listen on 127.0.0.1, which discovery and fetch refuse otherwise (pipeline/address-check.ts).
    env: {VCSE_SPEND_ALLOW_PRIVATE: "1"}
  }
});
