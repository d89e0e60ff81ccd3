import { busifavorHandlers } from "./busifavor.js";
import type { HandlerTable } from "./context.js";
import { favorHandlers } from "./favor.js";
import { imageHandlers } from "./images.js";
import { partnershipHandlers } from "./partnerships.js";
import { paygiftHandlers } from "./paygift.js";
import { sendingHandlers } from "./sending.js";
import { subsidyHandlers } from "./subsidy.js";

export type { HandlerTable, OperationContext, OperationHandler } from "./context.js";

/** Every business handler, by `METHOD /path/{template}` as the document spells the path. */
export const handlers: HandlerTable = {
  ...busifavorHandlers,
  ...sendingHandlers,
  ...subsidyHandlers,
  ...paygiftHandlers,
  ...favorHandlers,
  ...partnershipHandlers,
  ...imageHandlers,
};
