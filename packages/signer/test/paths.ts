// A tiny hand-written openapi-typescript `paths` type for the endpoints the test server has.
type Json<T> = { content: { "application/json": T } };
type ErrorBody = Json<{ code: string; message: string; detail?: Record<string, unknown> }>;
type Get<Q, R> = {
  parameters: { query?: Q; header?: never; path?: never; cookie?: never };
  requestBody?: never;
  responses: { 200: Json<R>; 400: ErrorBody; 401: ErrorBody };
};
export interface paths {
  "/v3/marketing/busifavor/stocks/123": {
    get: Get<
      { stock_creator_mchid: string; filter?: string },
      { stock_id: string; query: Record<string, string> }
    >;
  };
  "/v3/marketing/busifavor/stocks": {
    post: {
      parameters: { query?: never };
      requestBody: Json<{ stock_name: string; belong_merchant: string }>;
      responses: {
        200: Json<{ created: Record<string, unknown> }>;
        400: ErrorBody;
        401: ErrorBody;
      };
    };
  };
  "/v3/marketing/busifavor/stocks/123/pause": {
    post: {
      parameters: { query?: never };
      requestBody?: never;
      responses: { 204: { content?: never }; 400: ErrorBody };
    };
  };
  "/v3/marketing/favor/media/image-upload": {
    post: {
      parameters: { query?: never };
      requestBody: { content: { "multipart/form-data": { meta: string; file: string } } };
      responses: {
        200: Json<{ media_url: string; type: string; name: string }>;
        400: ErrorBody;
        401: ErrorBody;
      };
    };
  };
  "/v3/test/tampered": { get: Get<never, { amount: number }> };
  "/v3/test/probe": { get: Get<never, { ok: boolean }> };
  "/v3/test/unknown-serial": { get: Get<never, { ok: boolean }> };
  "/v3/test/stale": { get: Get<never, { ok: boolean }> };
  "/v3/test/error": { get: Get<never, { ok: boolean }> };
}
