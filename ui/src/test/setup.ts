// Runs before every test file: DOM matchers for `expect`, and a fresh wizard for every test.
import "@testing-library/jest-dom/vitest";
import { beforeEach } from "vitest";
import { resetWizard } from "../lib/wizard.svelte";

beforeEach(() => {
  resetWizard();
  delete document.body.dataset.ready;
});
