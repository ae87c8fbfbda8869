// Adds the DOM matchers (toBeDisabled, toHaveAttribute, …) to Vitest's `expect`.
import "@testing-library/jest-dom/vitest";
