/** A store URI safe to print: its password (in the user part or a `password=` parameter) masked. */
export function maskUri(uri: string): string {
  return uri.replace(/(\/\/[^:@/]*):[^@/]*@/, "$1:***@").replace(/([?&]password=)[^&]*/gi, "$1***");
}
