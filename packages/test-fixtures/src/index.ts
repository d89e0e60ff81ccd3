export { pngImage } from "./images.js";
export { testKeys } from "./keys.js";
export { APPID, activityBody, at, favorStockBody, stockBody, unique } from "./requests.js";
