// fontverter ships no types: the one function the docs build calls.
declare module "fontverter" {
  type FontFormat = "sfnt" | "truetype" | "woff" | "woff2";
  /** Converts between font container formats; the source format is detected when not given. */
  export function convert(font: Buffer, to: FontFormat, from?: FontFormat): Promise<Buffer>;
}
