/**
 * Text from hostile input (image paths, Dockerfile lines) must not drive the terminal: control
 * characters other than tab are shown as visible escapes.
 */

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function visible(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
