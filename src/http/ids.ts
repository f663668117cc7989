/**
 * Session and review ids: 1 to 128 characters of `[A-Za-z0-9._:-]`, and not
 * `.` or `..`, which would walk up a path on the web app's side.
 */
export const ID_PATTERN = /^(?!\.{1,2}$)[A-Za-z0-9._:-]{1,128}$/;

/** Whether `text` is a valid session or review id. */
export function isValidId(text: string): boolean {
  return ID_PATTERN.test(text);
}
