// Redocly plugin: teaches lint and bundle the extension this document defines, so that they check
// it and bundle the schema it names as a component like any other (an untyped extension would be
// inlined and left unchecked).
//
// x-notification, on a webhook operation: what WeChat Pay's notification carries once verified
// and decrypted. `resource` is the schema of the decrypted `resource` (a component, so the typed
// client can name it); `original_type` and `summary` are the values WeChat Pay puts in the
// envelope for this event (原始回调类型, 回调摘要).
module.exports = function marketingExtensions() {
  return {
    id: "marketing",
    typeExtension: {
      oas3(types) {
        return {
          ...types,
          MarketingNotification: {
            properties: {
              resource: "Schema",
              original_type: { type: "string" },
              summary: { type: "string" },
            },
            required: ["resource", "original_type", "summary"],
          },
          Operation: {
            ...types.Operation,
            properties: {
              ...types.Operation.properties,
              "x-notification": "MarketingNotification",
            },
          },
        };
      },
    },
  };
};
