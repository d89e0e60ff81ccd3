// @ts-check
// The event -> decrypted resource map of the client, from the document's webhooks (each names its
// resource schema in `x-notification`), so a webhook added to the spec is typed with no hand edit.
import { listWebhooks } from "@wechatpay-marketing/openapi";
import { propertyName } from "./literal.mjs";

/**
 * @param {Record<string, any>} bundled
 * @param {string} header
 */
export function notificationSources(bundled, header) {
  const hooks = listWebhooks(/** @type {any} */ (bundled));
  const members = hooks.map(
    (hook) =>
      `  /** ${hook.summary} */\n  ${propertyName(hook.eventType)}: components["schemas"][${JSON.stringify(hook.notification.resourceSchema)}];`,
  );
  return `${header}import type { components } from "./marketing.gen.js";

/** The decrypted \`resource\` of each notification the spec documents, by event type. */
export interface NotificationResources {
${members.join("\n")}
}

/** Every event type the spec documents, in document order. */
export const EVENT_TYPES: readonly (keyof NotificationResources)[] = ${JSON.stringify(hooks.map((h) => h.eventType))};
`;
}
