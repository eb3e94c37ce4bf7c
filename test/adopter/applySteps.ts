/**
 * Applies the README's file steps to an app made by `@backstage/create-app`
 * as an adopter would by hand: statements added to (or removed from) the
 * backend's index.ts, the createApp snippet merged into App.tsx, YAML merged
 * into app-config.yaml. Anything the README refers to that is not in the app
 * fails with the README line, so the README cannot drift from create-app.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { InstallStep, InstallStepKind } from './installSection';

const BACKEND_INDEX = path.join('packages', 'backend', 'src', 'index.ts');
const APP_TSX = path.join('packages', 'app', 'src', 'App.tsx');
const APP_CONFIG = 'app-config.yaml';
const BACKEND_START = 'backend.start();';

function stepError(step: InstallStep, message: string): Error {
  return new Error(
    `README line ${step.line} (adopter-install: ${step.kind}): ${message}`,
  );
}

function editFile(
  appDir: string,
  file: string,
  edit: (text: string) => string,
): void {
  const full = path.join(appDir, file);
  fs.writeFileSync(full, edit(fs.readFileSync(full, 'utf8')));
}

/** Top-level statements of a snippet: each ends with a `;` at the end of a line. */
function statements(code: string): string[] {
  const result: string[] = [];
  let current: string[] = [];
  for (const line of code.split('\n')) {
    if (current.length === 0 && /^\s*(\/\/.*)?$/.test(line)) continue;
    current.push(line);
    if (/;\s*$/.test(line)) {
      result.push(current.join('\n'));
      current = [];
    }
  }
  return result;
}

/** Matches `statement` whatever its line breaks and indentation (prettier may wrap it either way). */
function whitespaceInsensitive(statement: string): RegExp {
  const chars = [...statement.replace(/\s+/g, '')].map(c =>
    c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
  );
  return new RegExp(`[ \\t]*${chars.join('\\s*')}[ \\t]*\\n?`);
}

function addToBackend(appDir: string, step: InstallStep): void {
  editFile(appDir, BACKEND_INDEX, text => {
    const at = text.lastIndexOf(BACKEND_START);
    if (at < 0) {
      throw stepError(step, `${BACKEND_INDEX} has no "${BACKEND_START}"`);
    }
    return `${text.slice(0, at)}${step.code.trim()}\n\n${text.slice(at)}`;
  });
}

function removeFromBackend(appDir: string, step: InstallStep): void {
  editFile(appDir, BACKEND_INDEX, text => {
    let result = text;
    for (const statement of statements(step.code)) {
      const pattern = whitespaceInsensitive(statement);
      if (!pattern.test(result)) {
        throw stepError(
          step,
          `${BACKEND_INDEX} has no ${statement.replace(/\s+/g, ' ')}`,
        );
      }
      result = result.replace(pattern, '');
    }
    return result;
  });
}

/** The snippet's `features: [...]` entries (comments dropped). */
function featureEntries(step: InstallStep): string[] {
  const match = /features:\s*\[([^\]]*)\]/.exec(step.code);
  if (!match) throw stepError(step, 'the snippet has no features: [...]');
  return match[1]
    .split('\n')
    .map(line => line.replace(/\/\/.*$/, '').trim())
    .flatMap(line => line.split(','))
    .map(entry => entry.trim())
    .filter(Boolean);
}

function mergeCreateApp(appDir: string, step: InstallStep): void {
  const imports = step.code
    .split('\n')
    .filter(line => /^import\s.+\sfrom\s.+;$/.test(line));
  const entries = featureEntries(step);
  if (imports.length === 0 || entries.length === 0) {
    throw stepError(
      step,
      'the snippet must import and add at least one feature',
    );
  }
  editFile(appDir, APP_TSX, text => {
    const lines = text.split('\n');
    const lastImport = lines.reduce(
      (last, line, i) => (/^import\s|^\}\s*from\s/.test(line) ? i : last),
      -1,
    );
    lines.splice(lastImport + 1, 0, ...imports);
    const withImports = lines.join('\n');
    const features = /features:\s*\[([^\]]*)\]/.exec(withImports);
    if (!features) {
      throw stepError(step, `${APP_TSX} has no createApp({ features: [...] })`);
    }
    const existing = features[1].trim().replace(/,$/, '');
    const merged = [existing, ...entries].filter(Boolean).join(', ');
    return withImports.replace(features[0], `features: [${merged}]`);
  });
}

type Yaml = unknown;

/** Objects merged key by key, lists extended with what they lack, scalars replaced. */
function deepMerge(base: Yaml, extra: Yaml): Yaml {
  if (Array.isArray(base) && Array.isArray(extra)) {
    const seen = new Set(base.map(item => JSON.stringify(item)));
    return [...base, ...extra.filter(item => !seen.has(JSON.stringify(item)))];
  }
  const isObject = (v: Yaml): v is Record<string, Yaml> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(base) && isObject(extra)) {
    const merged: Record<string, Yaml> = { ...base };
    for (const [key, value] of Object.entries(extra)) {
      merged[key] = key in base ? deepMerge(base[key], value) : value;
    }
    return merged;
  }
  return extra;
}

function mergeAppConfig(appDir: string, step: InstallStep): void {
  const extra = YAML.parse(step.code);
  if (typeof extra !== 'object' || extra === null) {
    throw stepError(step, 'the block is not a YAML mapping');
  }
  editFile(appDir, APP_CONFIG, text =>
    YAML.stringify(deepMerge(YAML.parse(text), extra)),
  );
}

const FILE_STEPS: Record<
  Exclude<InstallStepKind, 'shell'>,
  (appDir: string, step: InstallStep) => void
> = {
  backend: addToBackend,
  'backend-remove': removeFromBackend,
  app: mergeCreateApp,
  'app-config': mergeAppConfig,
};

/** Applies one file step to the app in `appDir` (shell steps are run by the caller). */
export function applyFileStep(appDir: string, step: InstallStep): void {
  if (step.kind === 'shell') {
    throw stepError(step, 'a shell step is run, not applied');
  }
  FILE_STEPS[step.kind](appDir, step);
}
