// The sandbox's API without sockets: a parsed request in, an answer and what signing it needs
// out. The HTTP adapter (api-http.ts) reads and writes the bytes around it; everything here is
// unit-tested directly (core.test.ts).
import type { SigningInputs } from "./answer-signing.js";
import { type Authenticate, MALFORMED_AUTHORIZATION } from "./authentication.js";
import type { CompiledDocument } from "./compiled-document.js";
import { type FaultPlan, faultOutcome, type SignatureFault } from "./faults.js";
import type { HandlerTable, OperationContext } from "./handlers/index.js";
import { JsonInputError, LIMITS, mediaType, parseRequestJson } from "./limits.js";
import { BusinessError, type Reply } from "./reply.js";
import type { RouteMatch } from "./router.js";
import type { CouponRecord, Json, SandboxStore } from "./store.js";
import type { UnknownFieldPolicy } from "./validation.js";

/** A request as far as it is known before its body is read. */
export interface ApiRequestHead {
  /** Upper case. */
  method: string;
  /** Path and query, exactly as sent (the signature covers them). */
  url: string;
  /** Lower-case names, as node:http gives them. */
  headers: Record<string, string | undefined>;
  /** Whether a body follows (a length above 0, or chunked). */
  hasBody: boolean;
}

export interface UploadedFile {
  bytes: Uint8Array;
  filename: string;
  type: string;
}

/** The body as received: JSON bytes (maybe none), or an upload's parts. */
export type ApiRequestBody =
  | { kind: "bytes"; bytes: Uint8Array }
  | { kind: "multipart"; meta: string; file?: UploadedFile };

/** A request the core routed and will read a body for. */
export interface AdmittedRequest {
  head: ApiRequestHead;
  route: RouteMatch;
  pathname: string;
  query: URLSearchParams;
  /** 图片上传(营销专用): a multipart body, larger, signed over its `meta` part. */
  upload: boolean;
  /** The most body bytes to read before answering `oversized`. */
  bodyLimit: number;
}

export interface ApiAnswer {
  reply: Reply;
  /** The operation that answered, when the request reached one. */
  operationId?: string;
  signing: SigningInputs;
}

export type Admission = { admitted: AdmittedRequest } | { refused: ApiAnswer };

/** The sandbox's state a handler works on. */
export interface SandboxWorld {
  store: SandboxStore;
  mchid: string;
  appids: readonly string[];
  couponSent(coupon: CouponRecord): void;
  /** The sandbox's base URL: read per request, since it is known once the server listens. */
  origin(): string;
}

export interface ApiCoreOptions {
  compiled: Pick<CompiledDocument, "router" | "validators">;
  handlers: HandlerTable;
  authenticate: Authenticate;
  faults: FaultPlan;
  /** Answers that break the document become 500 and land in `violations`. */
  strictResponses: boolean;
  unknownFields: UnknownFieldPolicy;
  violations: string[];
  world: SandboxWorld;
}

export interface ApiCore {
  /** Routes the request and refuses what needs neither body nor signature to refuse. */
  admit(head: ApiRequestHead): Admission;
  /** The answer to a body longer than `bodyLimit`. */
  oversized(request: AdmittedRequest): ApiAnswer;
  /** Authenticates, applies faults, validates, runs the handler and checks its answer. */
  answer(request: AdmittedRequest, body: ApiRequestBody): Promise<ApiAnswer>;
}

const MISSING_HEADERS = "HTTP头缺少Accept或User-Agent";
// Decodes as Buffer#toString did: a BOM is kept (it was signed), so JSON.parse refuses it.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

function jsonProblem(error: unknown, field: "/" | "/meta"): Reply {
  if (error instanceof JsonInputError && error.problem === "too-deep") {
    return new BusinessError(400, "PARAM_ERROR", `JSON嵌套不能超过${LIMITS.jsonDepth}层`, {
      field,
      location: "body",
      issue: `nests arrays and objects deeper than ${LIMITS.jsonDepth} levels`,
    }).toReply();
  }
  const meta = field === "/meta";
  return new BusinessError(
    400,
    "PARAM_ERROR",
    meta ? "meta 不是合法的JSON" : "请求包体不是合法的JSON",
    {
      field,
      location: "body",
      issue: meta ? "the meta part is not valid JSON" : "body is not valid JSON",
    },
  ).toReply();
}

/** The bytes the merchant signed: the body as received, or an upload's `meta` part only. */
function signedBytes(body: ApiRequestBody): string | Uint8Array {
  return body.kind === "multipart" ? body.meta : body.bytes;
}

/** The body as the document describes it: JSON, or an upload as `{ meta, file }`. */
function parseBody(
  body: ApiRequestBody,
): { ok: true; value: unknown } | { ok: false; reply: Reply } {
  const field = body.kind === "multipart" ? "/meta" : "/";
  try {
    if (body.kind === "multipart") {
      const meta = parseRequestJson(body.meta);
      return { ok: true, value: { meta, ...(body.file ? { file: "(binary)" } : {}) } };
    }
    const text = utf8.decode(body.bytes);
    return { ok: true, value: text.length > 0 ? parseRequestJson(text) : undefined };
  } catch (error) {
    return { ok: false, reply: jsonProblem(error, field) };
  }
}

export function createApiCore(options: ApiCoreOptions): ApiCore {
  const { router, validators } = options.compiled;
  const { world, violations } = options;

  const signingOf = (head: ApiRequestHead, fault?: SignatureFault): SigningInputs => ({
    ...(head.headers["wechatpay-serial"]
      ? { requestedSerial: head.headers["wechatpay-serial"] }
      : {}),
    ...(fault ? { fault } : {}),
  });

  const unrouted = (method: string, pathname: string): Reply =>
    new BusinessError(
      404,
      router.pathExists(pathname) ? "METHOD_NOT_ALLOWED" : "NOT_FOUND",
      `${method} ${pathname} 不存在`,
    ).toReply();

  /** The refusals of a routed request that need neither its body nor its signature. */
  const refuseHeaders = (head: ApiRequestHead, route: RouteMatch): Reply | undefined => {
    const { headers } = head;
    if (!headers.accept || !headers["user-agent"]) {
      return new BusinessError(400, "INVALID_REQUEST", MISSING_HEADERS, {
        location: "header",
        field: headers.accept ? "User-Agent" : "Accept",
      }).toReply();
    }
    if ((headers.authorization?.length ?? 0) > LIMITS.authorizationChars) {
      return new BusinessError(401, "SIGN_ERROR", MALFORMED_AUTHORIZATION, {
        field: "Authorization",
        location: "header",
        issue: `longer than ${LIMITS.authorizationChars} characters`,
      }).toReply();
    }
    const expected = validators.get(route.operation.key)?.mediaType ?? "application/json";
    if (head.hasBody && mediaType(headers["content-type"]) !== expected) {
      // WeChat Pay's rule: every request body is JSON, the image upload's is multipart.
      return new BusinessError(400, "INVALID_REQUEST", `Content-Type必须为${expected}`, {
        field: "Content-Type",
        location: "header",
        issue: `a body of ${route.operation.operationId} must be sent as ${expected}`,
      }).toReply();
    }
    return undefined;
  };

  /** Strict mode: an answer the document does not allow is a sandbox bug, answered as one. */
  const checkAnswer = (request: AdmittedRequest, reply: Reply): Reply => {
    if (!options.strictResponses || reply.status === 501) return reply;
    const { operation } = request.route;
    const problem = validators.get(operation.key)?.response(reply.status, reply.body);
    if (!problem) return reply;
    violations.push(problem);
    return new BusinessError(
      500,
      "SYSTEM_ERROR",
      `sandbox answer violates the document: ${problem}`,
    ).toReply();
  };

  const notImplemented = ({ operationId, key }: RouteMatch["operation"]): Reply =>
    new BusinessError(501, "NOT_IMPLEMENTED", `沙箱尚未实现该接口: ${operationId} (${key})`, {
      field: operationId,
      issue: `no business handler for ${key}`,
    }).toReply();

  /** The validated request as a handler sees it, with only the fields the document declares. */
  const contextOf = (
    request: AdmittedRequest,
    checked: { params: Record<string, unknown>; query: Record<string, unknown>; body: unknown },
    body: ApiRequestBody,
  ): OperationContext => {
    const { operation } = request.route;
    return {
      operation,
      store: world.store,
      mchid: world.mchid,
      appids: world.appids,
      params: checked.params as Json,
      query: checked.query as Json,
      headers: request.head.headers,
      body: (checked.body ?? {}) as Json,
      once: (field, number, run) =>
        world.store.once(
          `${operation.key}|${world.mchid}|${field}`,
          number,
          { params: request.route.params, body: checked.body },
          run,
        ),
      couponSent: (coupon) => world.couponSent(coupon),
      origin: world.origin(),
      ...(body.kind === "multipart" && body.file ? { upload: body.file } : {}),
    };
  };

  /** Validation and the handler, for a request that is signed and past the faults. */
  const business = (request: AdmittedRequest, body: ApiRequestBody): Reply => {
    const { operation, params } = request.route;
    const handler = options.handlers[operation.key];
    if (!handler) return notImplemented(operation);
    const parsed = parseBody(body);
    if (!parsed.ok) return parsed.reply;
    const validator = validators.get(operation.key);
    const checked = validator
      ? validator.request({
          params,
          query: request.query,
          headers: request.head.headers,
          body: parsed.value,
          hasBody: parsed.value !== undefined,
          unknownFields: options.unknownFields,
        })
      : { ok: true as const, params, query: {}, body: parsed.value };
    if (!checked.ok) {
      const { issue } = checked;
      return new BusinessError(
        400,
        "PARAM_ERROR",
        `参数错误: ${issue.field} ${issue.issue}`,
        issue,
      ).toReply();
    }
    try {
      return handler(contextOf(request, checked, body));
    } catch (error) {
      if (error instanceof BusinessError) return error.toReply();
      violations.push(
        `${operation.operationId} threw: ${error instanceof Error ? error.stack : String(error)}`,
      );
      return new BusinessError(500, "SYSTEM_ERROR", "系统异常，请稍后重试").toReply();
    }
  };

  return {
    admit(head) {
      const { pathname, searchParams } = new URL(head.url, "http://sandbox.invalid");
      const route = router.match(head.method, pathname);
      if (!route)
        return { refused: { reply: unrouted(head.method, pathname), signing: signingOf(head) } };
      const refused = refuseHeaders(head, route);
      if (refused) {
        const { operationId } = route.operation;
        return { refused: { reply: refused, operationId, signing: signingOf(head) } };
      }
      const upload = validators.get(route.operation.key)?.mediaType === "multipart/form-data";
      return {
        admitted: {
          head,
          route,
          pathname,
          query: searchParams,
          upload,
          bodyLimit: upload ? LIMITS.uploadBodyBytes : LIMITS.jsonBodyBytes,
        },
      };
    },

    oversized(request) {
      const reply = request.upload
        ? // The document's answer for an image past 2 MB (图片上传(营销专用)).
          new BusinessError(400, "INVALID_REQUEST", "图片大小不能超过2M", {
            field: "/file",
            location: "body",
            issue: `the request has more than ${LIMITS.uploadBodyBytes} bytes`,
          }).toReply()
        : new BusinessError(413, "INVALID_REQUEST", "请求包体过大，不能超过1MB", {
            location: "body",
            issue: `the body has more than ${LIMITS.jsonBodyBytes} bytes`,
          }).toReply();
      return {
        reply,
        operationId: request.route.operation.operationId,
        signing: signingOf(request.head),
      };
    },

    async answer(request, body) {
      const { head, route } = request;
      const answered = (reply: Reply, fault?: SignatureFault): ApiAnswer => ({
        reply: checkAnswer(request, reply),
        operationId: route.operation.operationId,
        signing: signingOf(head, fault),
      });
      const unsigned = await options.authenticate({
        method: head.method,
        url: head.url,
        authorization: head.headers.authorization,
        signed: signedBytes(body),
      });
      if (unsigned) return answered(unsigned);
      const planned = options.faults.take(head.method, request.pathname);
      if (planned.latencyMs > 0) await new Promise((r) => setTimeout(r, planned.latencyMs));
      const outcome = faultOutcome(planned.fault);
      if ("reply" in outcome) return answered(outcome.reply);
      return answered(business(request, body), outcome.signatureFault);
    },
  };
}
