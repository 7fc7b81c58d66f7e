/** What the first characters of a text say it is not: an HTML page or binary content. Read and fetch both ask here. */

/** A page opens with a tag and has a doctype, <html>, <head> or <body> near the start (error pages often lack the first two). */
export function looksLikeHtml(head: string): boolean {
  const start = head.trimStart().slice(0, 1024).toLowerCase();
  return start.startsWith("<") && /<(?:!doctype html|html|head|body)[\s>]/.test(start);
}

/** Text has almost no control characters besides tab, line ends, form feed and the DOS end-of-file mark. */
export function looksBinary(head: string): boolean {
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x1a) control++;
  }
  return control > Math.max(2, head.length * 0.01);
}
