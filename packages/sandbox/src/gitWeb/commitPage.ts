/**
 * The HTML of the sandbox's commit page. Everything from the repository (the
 * message, the author, paths, file content) is escaped; the page has no
 * script, and its Content-Security-Policy allows only its own stylesheet.
 */
import crypto from 'node:crypto';
import type { ChangedFile, CommitView } from './commitView';

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1100px; color: #222; }
.repo { color: #555; margin: 0; }
h1 { font-size: 20px; margin: 8px 0; }
pre { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: 10px; overflow-x: auto; }
code, pre { font: 12.5px/1.4 ui-monospace, monospace; }
.meta { color: #444; }
h2 { font-size: 16px; margin-top: 24px; }
h3 { font-size: 14px; margin: 16px 0 6px; }
.change { display: inline-block; min-width: 64px; padding: 1px 6px; margin-right: 8px; border-radius: 4px; font-size: 12px; text-align: center; }
.added { background: #dafbe1; } .modified { background: #fff8c5; } .deleted { background: #ffebe9; }
.note { color: #666; font-style: italic; }
`;

export const COMMIT_PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${crypto
    .createHash('sha256')
    .update(STYLE)
    .digest('base64')}'`,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => ESCAPES[c]);
}

function fileSection(file: ChangedFile): string {
  const body =
    file.text !== undefined
      ? `<pre>${escapeHtml(file.text)}</pre>`
      : `<p class="note">${escapeHtml(file.note ?? '')}</p>`;
  return `<article><h3><span class="change ${file.change}">${
    file.change
  }</span> <code>${escapeHtml(file.path)}</code></h3>${body}</article>`;
}

/** The page of one commit of `repository` (owner/name). */
export function renderCommitPage(repository: string, view: CommitView): string {
  const [subject, ...rest] = view.message.trimEnd().split('\n');
  const body = rest.join('\n').trim();
  const count = `${view.files.length} changed file${
    view.files.length === 1 ? '' : 's'
  }`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>${escapeHtml(subject)} · ${escapeHtml(repository)}@${view.oid.slice(
    0,
    7,
  )}</title>
<style>${STYLE}</style></head>
<body>
<p class="repo">${escapeHtml(
    repository,
  )} · the sandbox's git server (read-only commit page)</p>
<h1>${escapeHtml(subject)}</h1>
${body ? `<pre>${escapeHtml(body)}</pre>` : ''}
<p class="meta">${escapeHtml(view.author.name)} &lt;${escapeHtml(
    view.author.email,
  )}&gt; committed on ${view.author.date.toISOString()}</p>
<p class="meta">commit <code>${escapeHtml(view.oid)}</code>${
    view.parent
      ? ` · parent <code>${escapeHtml(view.parent)}</code>`
      : ' · root commit'
  }</p>
<h2>${count}</h2>
${view.files.map(fileSection).join('\n')}
</body></html>
`;
}
