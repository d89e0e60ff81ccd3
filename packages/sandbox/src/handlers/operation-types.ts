// What each operation's handler receives and may answer, read from the types openapi-typescript
// generates from the bundled document (scripts/generate-types.mjs): nothing here names a field.
import type { OperationId } from "@wechatpay-marketing/openapi";
import type { components, operations } from "../generated/marketing.gen.js";

export type { OperationId };

/** Indexing by the operation model's ids fails to compile if the two ever disagree. */
type Operation<Id extends OperationId> = operations[Id];

/**
 * A parameter location an operation does not use. openapi-typescript writes `never` there, and a
 * property read on `never` compiles; on an object with no keys a misspelt read is an error.
 */
export type NoFields = Record<never, never>;

type Present<T> = [NonNullable<T>] extends [never] ? NoFields : NonNullable<T>;

/** Node lowercases request header names; the document spells them `Idempotency-Key`. */
type LowercaseKeys<T> = { readonly [K in keyof T as Lowercase<K & string>]: T[K] };

type Parameters<Id extends OperationId> = Operation<Id>["parameters"];
type ContentOf<T> = T extends { content: infer C } ? C[keyof C] : undefined;

/** The path parameters (`{stock_id}`), as text. */
export type PathParams<Id extends OperationId> = Present<Parameters<Id>["path"]>;
/** The validated query: integers as numbers, JSON parameters parsed, absent ones absent. */
export type QueryParams<Id extends OperationId> = Present<Parameters<Id>["query"]>;
/** The header parameters the document declares, by their lowercase names. */
export type RequestHeaders<Id extends OperationId> = LowercaseKeys<
  Present<Parameters<Id>["header"]>
>;
/** The validated body with only the fields its schema declares (JSON, or the upload's parts). */
export type RequestBody<Id extends OperationId> = Present<
  ContentOf<NonNullable<Operation<Id>["requestBody"]>>
>;

type Responses<Id extends OperationId> = Operation<Id>["responses"];
/** `"4XX"`-style keys stand for any status of their class. */
type StatusOf<K> = K extends number ? K : number;
type ReplyFor<K, R> =
  ContentOf<R> extends undefined
    ? { status: StatusOf<K>; body?: undefined }
    : { status: StatusOf<K>; body: ContentOf<R> };

/**
 * Every answer the document declares for the operation, by status: a 200 with its body schema, a
 * 204 without a body, each error status with its error codes.
 */
export type OperationReply<Id extends OperationId> = {
  [K in keyof Responses<Id>]: ReplyFor<K, Responses<Id>[K]>;
}[keyof Responses<Id>];

/** The answers of the operation with a 2xx status. */
export type SuccessReply<Id extends OperationId> = Extract<
  OperationReply<Id>,
  { status: 200 | 201 | 202 | 204 }
>;

/** The body of the operation's 200 answer. */
export type SuccessBody<Id extends OperationId> = Extract<
  OperationReply<Id>,
  { status: 200 }
>["body"];

/** A component schema of the document, as openapi-typescript types it. */
export type Schema<Name extends keyof components["schemas"]> = components["schemas"][Name];
