// The HTTP adapter of the API: node:http in (the head, the body read within its limit, an
// upload's parts), the core's answer signed and written out. No business decision is made here.
import type { IncomingMessage, ServerResponse } from "node:http";
import { type PlatformKeys, signAnswer } from "./answer-signing.js";
import type {
  AdmittedRequest,
  ApiAnswer,
  ApiCore,
  ApiRequestBody,
  ApiRequestHead,
} from "./core.js";
import { closeAfterAnswer, hasBody, readBody } from "./limits.js";

export interface RequestLogEntry {
  method: string;
  url: string;
  operationId?: string;
  status: number;
  code?: string;
  ms: number;
}

export interface ApiHttpOptions {
  core: ApiCore;
  keys: PlatformKeys;
  /** Called after every answer (the CLI prints these). */
  onRequest?: ((entry: RequestLogEntry) => void) | undefined;
}

function headOf(request: IncomingMessage): ApiRequestHead {
  return {
    method: (request.method ?? "GET").toUpperCase(),
    url: request.url ?? "/",
    headers: request.headers as Record<string, string | undefined>,
    hasBody: hasBody(request),
  };
}

/** The parts of a multipart/form-data body, parsed by the platform's own Request.formData(). */
async function readMultipart(contentType: string, raw: Buffer): Promise<ApiRequestBody> {
  try {
    const form = await new Request("http://sandbox.invalid/", {
      method: "POST",
      headers: { "Content-Type": contentType },
      body: new Uint8Array(raw),
    }).formData();
    const meta = form.get("meta");
    const file = form.get("file");
    return {
      kind: "multipart",
      meta: typeof meta === "string" ? meta : "",
      ...(file && typeof file !== "string"
        ? {
            file: {
              bytes: new Uint8Array(await file.arrayBuffer()),
              filename: file.name,
              type: file.type,
            },
          }
        : {}),
    };
  } catch {
    // Not multipart at all: an empty meta, which neither verifies nor parses.
    return { kind: "multipart", meta: "" };
  }
}

/** The body as the core takes it: an upload's parts, or the bytes as received. */
async function bodyOf(admitted: AdmittedRequest, raw: Buffer): Promise<ApiRequestBody> {
  if (admitted.upload && raw.length > 0) {
    return readMultipart(admitted.head.headers["content-type"] ?? "", raw);
  }
  return { kind: "bytes", bytes: raw };
}

/** The core's answer, or undefined for an aborted request (no one is left to answer). */
async function answerOf(core: ApiCore, request: IncomingMessage): Promise<ApiAnswer | undefined> {
  const admission = core.admit(headOf(request));
  if ("refused" in admission) return admission.refused;
  const { admitted } = admission;
  const read = await readBody(request, admitted.bodyLimit);
  if (!read.ok) return read.reason === "aborted" ? undefined : core.oversized(admitted);
  return core.answer(admitted, await bodyOf(admitted, read.body));
}

/** Serves one /v3 request. */
export async function serveApi(
  options: ApiHttpOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const started = performance.now();
  const answer = await answerOf(options.core, request);
  if (!answer) return;
  const signed = await signAnswer(options.keys, answer.reply, answer.signing);
  // An answer before the whole body arrived (a refusal, 413) closes the connection gently.
  closeAfterAnswer(request, response);
  response.writeHead(signed.status, signed.headers);
  response.end(signed.text);
  const { status, body } = answer.reply;
  options.onRequest?.({
    method: (request.method ?? "GET").toUpperCase(),
    url: request.url ?? "/",
    ...(answer.operationId ? { operationId: answer.operationId } : {}),
    status,
    ...(status >= 400 ? { code: (body as { code?: string } | undefined)?.code ?? "" } : {}),
    ms: performance.now() - started,
  });
}
