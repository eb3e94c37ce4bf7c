/**
 * The README's install section, read as the adopter-install test follows it:
 * every fenced block that an `<!-- adopter-install: <kind> -->` comment
 * introduces is one step, in the order the README gives them. The blocks are
 * the ones an adopter copies; the test runs or applies them unchanged.
 */
import fs from 'node:fs';

/** The heading of the section the test follows. */
export const INSTALL_SECTION_HEADING =
  '## Adding the plugins to an existing Backstage app';

export const INSTALL_STEP_KINDS = [
  /** Commands run from the app's root folder. */
  'shell',
  /** Statements added to packages/backend/src/index.ts before `backend.start()`. */
  'backend',
  /** Statements removed from packages/backend/src/index.ts. */
  'backend-remove',
  /** The createApp snippet: its imports and `features` entries go into packages/app/src/App.tsx. */
  'app',
  /** YAML merged into app-config.yaml. */
  'app-config',
] as const;

export type InstallStepKind = (typeof INSTALL_STEP_KINDS)[number];

export interface InstallStep {
  kind: InstallStepKind;
  /** The fenced block's content, without the fences. */
  code: string;
  /** 1-based line of the marker in the README, for error messages. */
  line: number;
}

const MARKER = /^<!--\s*adopter-install:\s*([a-z-]+)\s*-->\s*$/;
const FENCE = /^```/;

function isStepKind(kind: string): kind is InstallStepKind {
  return (INSTALL_STEP_KINDS as readonly string[]).includes(kind);
}

/** The section's steps; throws naming the README line when a marker is not followed by a block. */
export function parseInstallSection(markdown: string): InstallStep[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(INSTALL_SECTION_HEADING);
  if (start < 0) {
    throw new Error(
      `README has no "${INSTALL_SECTION_HEADING}" section to follow`,
    );
  }
  const next = lines.findIndex((l, i) => i > start && /^## /.test(l));
  const end = next < 0 ? lines.length : next;
  const steps: InstallStep[] = [];
  for (let i = start + 1; i < end; i++) {
    const marker = MARKER.exec(lines[i]);
    if (!marker) continue;
    const kind = marker[1];
    if (!isStepKind(kind)) {
      throw new Error(
        `README line ${
          i + 1
        }: unknown adopter-install step "${kind}" (known: ${INSTALL_STEP_KINDS.join(
          ', ',
        )})`,
      );
    }
    let open = i + 1;
    while (open < end && lines[open].trim() === '') open++;
    if (open >= end || !FENCE.test(lines[open])) {
      throw new Error(
        `README line ${
          i + 1
        }: the adopter-install marker must be followed by a fenced code block`,
      );
    }
    const close = lines.findIndex((l, j) => j > open && FENCE.test(l));
    if (close < 0 || close >= end) {
      throw new Error(`README line ${open + 1}: unterminated code block`);
    }
    steps.push({
      kind,
      code: lines.slice(open + 1, close).join('\n'),
      line: i + 1,
    });
    i = close;
  }
  if (steps.length === 0) {
    throw new Error(
      `README's "${INSTALL_SECTION_HEADING}" section has no adopter-install steps`,
    );
  }
  return steps;
}

export function readInstallSection(readmeFile: string): InstallStep[] {
  return parseInstallSection(fs.readFileSync(readmeFile, 'utf8'));
}

/**
 * A shell block's commands: `#` comments and blank lines dropped, lines
 * ending in a backslash joined with the next.
 */
export function shellCommands(code: string): string[] {
  const commands: string[] = [];
  let pending = '';
  for (const raw of code.split('\n')) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    commands.push(`${pending}${line}`.trim());
    pending = '';
  }
  if (pending) commands.push(pending.trim());
  return commands;
}
