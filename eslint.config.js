// ESLint for Polku's own browser scripts (static/): plain scripts, modern syntax, no build.
import js from "@eslint/js";
import globals from "globals";

export default [
  // Copied as published from node_modules (.ci/run checks it is unchanged); not ours to lint.
  { ignores: ["static/vendor/**"] },
  js.configs.recommended,
  {
    files: ["static/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "script", globals: globals.browser },
  },
  {
    // ES modules, loaded with <script type="module">.
    files: ["static/answer/**/*.js", "static/projector.js", "static/live.js", "static/mentions.js", "static/resumable.js", "static/composer.js", "static/offline.js"],
    languageOptions: { sourceType: "module" },
  },
];
