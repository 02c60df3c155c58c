/** Terminal colours for human output: a palette of ANSI paints, or plain text. */

export type Paint = (text: string) => string;

export interface Palette {
  red: Paint;
  yellow: Paint;
  blue: Paint;
  green: Paint;
  dim: Paint;
  bold: Paint;
}

function sgr(open: number, close: number): Paint {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`;
}

const PLAIN: Palette = {
  red: (t) => t,
  yellow: (t) => t,
  blue: (t) => t,
  green: (t) => t,
  dim: (t) => t,
  bold: (t) => t,
};

const ANSI: Palette = {
  red: sgr(31, 39),
  yellow: sgr(33, 39),
  blue: sgr(34, 39),
  green: sgr(32, 39),
  dim: sgr(2, 22),
  bold: sgr(1, 22),
};

export function palette(color: boolean): Palette {
  return color ? ANSI : PLAIN;
}
