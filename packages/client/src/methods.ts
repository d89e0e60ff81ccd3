// The call signatures of the marketing client. openapi-fetch's own infer the whole `init` object as a
// type parameter and only check it against a constraint afterwards, which skips TypeScript's
// excess-property check: a misspelt body field or query parameter compiled whenever the rest of the
// object was valid. Here `init` is typed by the operation itself (found from the URL), so every
// object literal in it (body, query, path, header, and their nested objects) rejects unknown keys,
// and the types shown in an editor are the generated ones, without `Writable<…> & {}` wrappers
// (the spec marks nothing read-only or write-only, so there is nothing to strip).
import type {
  BodySerializer,
  ClientOptions,
  HeadersOptions,
  Middleware,
  ParamsOption,
  ParseAs,
  ParseAsResponse,
  PathSerializer,
  QuerySerializer,
  QuerySerializerOptions,
} from "openapi-fetch";
import type {
  ErrorStatus,
  HttpMethod,
  IsOperationRequestBodyOptional,
  OkStatus,
  OperationRequestBodyContent,
  PathsWithMethod,
  RequiredKeysOf,
} from "openapi-typescript-helpers";
import type { CallOptions } from "./call.js";
import type { paths } from "./generated/marketing.gen.js";

type BodyOption<Operation> =
  OperationRequestBodyContent<Operation> extends never
    ? { body?: never }
    : IsOperationRequestBodyOptional<Operation> extends true
      ? { body?: OperationRequestBodyContent<Operation> }
      : { body: OperationRequestBodyContent<Operation> };

/**
 * The second argument of a call: `params`, `body`, openapi-fetch's per-request options, and this
 * client's `retry` and `timeout`.
 */
export type RequestOptions<Operation, As extends ParseAs = ParseAs> = ParamsOption<Operation> &
  BodyOption<Operation> &
  CallOptions & {
    baseUrl?: string;
    querySerializer?: QuerySerializer<Operation> | QuerySerializerOptions;
    bodySerializer?: BodySerializer<Operation>;
    pathSerializer?: PathSerializer;
    parseAs?: As;
    fetch?: ClientOptions["fetch"];
    headers?: HeadersOptions;
    middleware?: Middleware[];
  } & Omit<RequestInit, "body" | "headers">;

type Responses<Operation> = Operation extends { responses: infer R } ? R : never;

/** The body of an answer (of each answer, for a union); `undefined` when it has none (204). */
type ContentOf<Answer> = Answer extends { content: infer Content }
  ? Content[keyof Content]
  : undefined;

// Indexed by status rather than through openapi-typescript-helpers' SuccessResponse/ErrorResponse:
// the same types, but an editor shows them expanded (`{ code: "NO_AUTH"; … } | …`) instead of
// `ErrorResponse<{ 200: …; … 5 more … }>`.
export type AnswerBody<Operation, Status> = ContentOf<
  Responses<Operation>[Extract<keyof Responses<Operation>, Status>]
>;

/** The `data` of a 2xx answer, as `parseAs` reads it. */
export type SuccessData<Operation, As extends ParseAs = "json"> = ParseAsResponse<
  AnswerBody<Operation, OkStatus>,
  { parseAs: As }
>;

/**
 * What a call resolves to: `data` typed by the 2xx answer, or `error` by the error answers, and
 * the number of attempts it took (1 when it was not retried).
 */
export type MarketingResponse<Operation, As extends ParseAs = "json"> =
  | {
      data: SuccessData<Operation, As>;
      error?: never;
      response: Response;
      attempts: number;
    }
  | {
      data?: never;
      error: AnswerBody<Operation, ErrorStatus>;
      response: Response;
      attempts: number;
    };

/** The options argument, required when the operation has a required parameter or body. */
type InitArgument<Operation, As extends ParseAs> =
  RequiredKeysOf<RequestOptions<Operation>> extends never
    ? [init?: RequestOptions<Operation, As>]
    : [init: RequestOptions<Operation, As>];

/** `client.GET(url, init)` and the other verbs. */
export type MarketingMethod<Method extends HttpMethod> = <
  Path extends PathsWithMethod<paths, Method>,
  As extends ParseAs = "json",
>(
  url: Path,
  ...init: InitArgument<paths[Path][Method], As>
) => Promise<MarketingResponse<paths[Path][Method], As>>;

/** `client.request(method, url, init)`. */
export type MarketingRequest = <
  Method extends HttpMethod,
  Path extends PathsWithMethod<paths, Method>,
  As extends ParseAs = "json",
>(
  method: Method,
  url: Path,
  ...init: InitArgument<paths[Path][Method], As>
) => Promise<MarketingResponse<paths[Path][Method], As>>;

/** What a call of the throwing style resolves to: only a 2xx answer; any other is thrown. */
export interface StrictResponse<Operation, As extends ParseAs = "json"> {
  data: SuccessData<Operation, As>;
  response: Response;
  attempts: number;
}

/** `client.GET(url, init)` and the other verbs of the throwing style (`throwOnError: true`). */
export type StrictMarketingMethod<Method extends HttpMethod> = <
  Path extends PathsWithMethod<paths, Method>,
  As extends ParseAs = "json",
>(
  url: Path,
  ...init: InitArgument<paths[Path][Method], As>
) => Promise<StrictResponse<paths[Path][Method], As>>;

/** `client.request(method, url, init)` of the throwing style. */
export type StrictMarketingRequest = <
  Method extends HttpMethod,
  Path extends PathsWithMethod<paths, Method>,
  As extends ParseAs = "json",
>(
  method: Method,
  url: Path,
  ...init: InitArgument<paths[Path][Method], As>
) => Promise<StrictResponse<paths[Path][Method], As>>;
