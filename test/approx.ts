import { expect } from "chai";

/**
 * |actual − expected| ≤ tolerance for plain numbers. Hardhat's chai matchers take over `closeTo` and treat an
 * integral number as a bigint, so `closeTo(8, 1e-9)` throws when the value happens to be whole; this never does.
 */
export function expectClose(actual: number, expected: number, tolerance: number, what = "value"): void {
  const gap = Math.abs(actual - expected);
  expect(gap <= tolerance, `${what}: ${actual} is ${gap} from ${expected}, tolerance ${tolerance}`).to.equal(true);
}
