// Integration scenarios: each test starts a sandbox of its own and creates the stocks, coupons and
// activities it needs, so `vitest -t <name>` runs any one alone and in any order. A file's coverage
// test runs all of its scenarios again and checks what they called together.

import type { SandboxOptions } from "@wechatpay-marketing/sandbox";
import { expect, it } from "vitest";
import { type Harness, startHarness } from "./fixtures.js";

export type Outcomes = Harness["outcomes"];

// biome-ignore lint/suspicious/noExplicitAny: openapi-fetch results of many operations
export type Result = { data?: any; error?: any; response: Response };

export function ok<T extends Result>(result: T): NonNullable<T["data"]> {
  expect(result.error, JSON.stringify(result.error)).toBeUndefined();
  expect(result.response.status).toBeLessThan(300);
  return result.data as NonNullable<T["data"]>;
}

export function fails(result: Result, status: number, code: string) {
  expect(result.response.status, JSON.stringify(result.error)).toBe(status);
  expect(result.error?.code).toBe(code);
  return result.error as { code: string; message: string; detail?: Record<string, unknown> };
}

// The typed client rejects bad bodies at compile time; these tests send them on purpose.
export const loose = (value: unknown) => value as never;

/**
 * The scenarios of one test file, each run against a fresh sandbox started with `options`.
 * `scenario` declares a test; `coverage` runs them all again and lists the operations (of those
 * `covers` selects) that did not answer both a success and an error.
 */
export function defineScenarios(options: SandboxOptions = {}) {
  const scenarios: { name: string; run: (h: Harness) => Promise<void> }[] = [];

  /** Runs `run` against a fresh sandbox; its outcomes are added to `into` when given. */
  async function withSandbox(run: (h: Harness) => Promise<void>, into?: Outcomes): Promise<void> {
    const h = await startHarness(options);
    try {
      await run(h);
      expect(h.sandbox.violations).toEqual([]);
    } finally {
      await h.sandbox.close();
      for (const [operationId, seen] of h.outcomes) {
        const total = into?.get(operationId) ?? new Set();
        for (const kind of seen) total.add(kind);
        into?.set(operationId, total);
      }
    }
  }

  return {
    /** A test with a sandbox of its own, remembered for the coverage test. */
    scenario(name: string, run: (h: Harness) => Promise<void>): void {
      scenarios.push({ name, run });
      it(name, () => withSandbox(run));
    },

    /** The operations `covers` selects that the scenarios together did not answer both ways. */
    async uncovered(covers: (path: string) => boolean): Promise<string[]> {
      const outcomes: Outcomes = new Map();
      for (const { run } of scenarios) await withSandbox(run, outcomes);
      const h = await startHarness(options);
      try {
        return h.sandbox.operations
          .filter((o) => covers(o.path))
          .filter((o) => {
            const seen = outcomes.get(o.operationId);
            return !seen?.has("success") || !seen.has("error");
          })
          .map(
            (o) =>
              `${o.operationId} (${[...(outcomes.get(o.operationId) ?? [])].join("+") || "never called"})`,
          );
      } finally {
        await h.sandbox.close();
      }
    },
  };
}
