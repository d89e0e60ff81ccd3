export {
  listOperations,
  type OpenApiDocument,
  operationKey,
  type SpecOperation,
} from "./document.js";
export { FAULT_KINDS, type FaultKind, type FaultRule } from "./faults.js";
export type { FavorControls } from "./favor-controls.js";
export type { FavorUserProfile, PaymentInput } from "./favor-store.js";
export {
  type HandlerTable,
  handlers,
  type OperationContext,
  type OperationHandler,
} from "./handlers/index.js";
export { createPlatformCertificate, generateRsaKeyPair } from "./keys.js";
export {
  type DeliveryAttempt,
  FAVOR_RETRY_DELAYS_MS,
  type NotificationDelivery,
  WECHATPAY_RETRY_DELAYS_MS,
} from "./notifications.js";
export { BusinessError, type ErrorDetail, type Reply } from "./reply.js";
export {
  type RequestLogEntry,
  type Sandbox,
  type SandboxClientOptions,
  type SandboxOptions,
  startSandbox,
} from "./server.js";
export type { CouponState, IssueCouponInput } from "./store.js";
export type { UnknownFieldPolicy } from "./validation.js";
