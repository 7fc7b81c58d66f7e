import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {ignores: ["dist/", "dist.builds/", "node_modules/", "src/.observablehq/", "store/", "coverage/", "test-output/", "src/**/*.js", "src/**/*.md"]},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", {argsIgnorePattern: "^_", varsIgnorePattern: "^_"}]
    }
  },
  {
    files: ["bin/*.js", "scripts/**/*.js", "test/**/*.mjs"],
    languageOptions: {globals: {process: "readonly", console: "readonly", URL: "readonly", Buffer: "readonly"}}
  }
);
