// The links and images of a Markdown page, and the anchors its headings get, for the tests that hold the
// README and docs/ to links that resolve (in the repository, and inside the .vsix).

export interface MarkdownLink {
  target: string;
  image: boolean;
  line: number;
}

/** Inline links and images, reference definitions and HTML src/href; code blocks and code spans are not links. */
export function markdownLinks(markdown: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  let fenced = false;
  markdown.split('\n').forEach((raw, index) => {
    if (/^\s*(```|~~~)/.test(raw)) {
      fenced = !fenced;
      return;
    }
    if (fenced) return;
    const line = raw.replace(/`[^`]*`/g, '``');
    const at = index + 1;
    for (const m of line.matchAll(/(!?)\[(?:[^\][]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g))
      links.push({ target: m[2], image: m[1] === '!', line: at });
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/.exec(line);
    if (definition) links.push({ target: definition[1], image: false, line: at });
    for (const m of line.matchAll(/<(img|a|source)\b[^>]*?\b(src|href|srcset)="([^"]+)"/gi))
      links.push({ target: m[3], image: m[1].toLowerCase() !== 'a', line: at });
  });
  return links;
}

/** The anchors GitHub (and the Marketplace) give a page's headings: lower case, punctuation dropped, spaces as hyphens. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = heading[1]
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count ? `${slug}-${count}` : slug);
  }
  return anchors;
}
