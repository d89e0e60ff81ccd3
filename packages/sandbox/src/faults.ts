import { BusinessError, type Reply } from "./reply.js";

/** Kinds of trouble the sandbox can make on purpose, for clients' resilience tests. */
export type FaultKind =
  | "latency"
  | "rate-limit"
  | "system-error"
  | "tampered-signature"
  | "probe-signature";

export interface FaultRule {
  kind: FaultKind;
  /** How many matching requests it applies to (default 1). */
  count?: number;
  /** Applies only to requests whose path (without query) contains this text. */
  path?: string;
  /** Applies only to this HTTP method. */
  method?: string;
  /** For `latency`: the delay in ms (default 1000). */
  latencyMs?: number;
}

/** The faults that change how an answer is signed, not what it says. */
export type SignatureFault = Extract<FaultKind, "tampered-signature" | "probe-signature">;

/**
 * What a planned fault does to an API request: answer in the handler's place (429, 500), or
 * let the handler answer and spoil the answer's signature.
 */
export function faultOutcome(
  fault: FaultKind | undefined,
): { reply: Reply } | { signatureFault: SignatureFault | undefined } {
  if (fault === "rate-limit") {
    return {
      reply: new BusinessError(429, "FREQUENCY_LIMITED", "频率超限，请降低请求频率").toReply(),
    };
  }
  if (fault === "system-error") {
    return { reply: new BusinessError(500, "SYSTEM_ERROR", "系统异常，请稍后重试").toReply() };
  }
  return { signatureFault: fault === "latency" ? undefined : fault };
}

interface ActiveFault extends Required<Pick<FaultRule, "kind">> {
  id: number;
  remaining: number;
  path?: string | undefined;
  method?: string | undefined;
  latencyMs: number;
}

export const FAULT_KINDS: readonly FaultKind[] = [
  "latency",
  "rate-limit",
  "system-error",
  "tampered-signature",
  "probe-signature",
];

/** The faults waiting for their next requests: first-in, first-used. */
export class FaultPlan {
  private rules: ActiveFault[] = [];
  private sequence = 0;

  add(rule: FaultRule): ActiveFault {
    if (!FAULT_KINDS.includes(rule.kind)) {
      throw new TypeError(
        `unknown fault kind ${String(rule.kind)}; use one of ${FAULT_KINDS.join(", ")}`,
      );
    }
    const count = rule.count ?? 1;
    if (!Number.isInteger(count) || count < 1)
      throw new TypeError("count must be a positive integer");
    this.sequence += 1;
    const active: ActiveFault = {
      id: this.sequence,
      kind: rule.kind,
      remaining: count,
      path: rule.path,
      method: rule.method?.toUpperCase(),
      latencyMs: rule.latencyMs ?? 1000,
    };
    this.rules.push(active);
    return active;
  }

  list(): readonly ActiveFault[] {
    return this.rules;
  }

  clear(): void {
    this.rules = [];
  }

  /**
   * Takes the faults for one request: the total latency of matching latency rules, and the
   * first matching fault of any other kind. Each use counts against its rule.
   */
  take(
    method: string,
    pathname: string,
    only?: { kinds: readonly FaultKind[]; pathRequired: boolean },
  ): { latencyMs: number; fault?: FaultKind } {
    let latencyMs = 0;
    let fault: FaultKind | undefined;
    for (const rule of this.rules) {
      if (rule.remaining <= 0) continue;
      // `only` keeps rules meant for /v3 (no path, or a signature fault) for /v3 requests.
      if (only && (!only.kinds.includes(rule.kind) || (only.pathRequired && !rule.path))) continue;
      if (rule.path !== undefined && !pathname.includes(rule.path)) continue;
      if (rule.method !== undefined && rule.method !== method.toUpperCase()) continue;
      if (rule.kind === "latency") {
        latencyMs += rule.latencyMs;
        rule.remaining -= 1;
      } else if (fault === undefined) {
        fault = rule.kind;
        rule.remaining -= 1;
      }
    }
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return fault === undefined ? { latencyMs } : { latencyMs, fault };
  }
}
