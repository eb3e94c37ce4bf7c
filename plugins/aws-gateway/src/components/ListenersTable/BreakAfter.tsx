import { ReactNode } from 'react';

/**
 * Text that wraps after the given separators (`.` of a host name, `/` of a
 * namespace/name) rather than mid-word; the text nodes stay siblings, so the
 * element's text is still the whole string.
 */
export function BreakAfter(props: { text: string; separators: string }) {
  const { text, separators } = props;
  const parts: ReactNode[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (separators.includes(text[i]) && i < text.length - 1) {
      parts.push(text.slice(start, i + 1), <wbr key={i} />);
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return <>{parts}</>;
}
