/**
 * Whether a request carries a body (HTTP/1.1: Content-Length other than 0, or Transfer-Encoding):
 * only those pass the body limit (create-app.ts); the claim's fast path takes only those without.
 */
export function hasBody(contentLength: string | undefined, transferEncoding: string | undefined): boolean {
  return transferEncoding !== undefined || (contentLength !== undefined && contentLength.trim() !== '0');
}
