// Runs once before all test files. Kept deliberately small: per-file setup lives with the tests.
export default function setup(): void {}
