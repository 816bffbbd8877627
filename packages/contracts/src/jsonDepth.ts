/** Whether JSON text nests no deeper than `max` (checked before any recursive parser sees it). */
export function jsonDepthWithin(text: string, max: number): boolean {
  let level = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++level > max) return false;
    } else if (c === 93 || c === 125) level--;
  }
  return true;
}
