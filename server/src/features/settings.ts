// The extension's settings: one source of truth for their names, types and defaults
// (test/unit/settings.test.ts checks package.json's contributes.configuration against it).

import { allRules } from '../analysis/analyze';
import { parseVersion } from '../analysis/knowledge/versions';
import type { Severity } from '../analysis/types';

export type RuleLevel = Severity | 'off';

export interface Settings {
  /** Directive names of modules we do not know, so that they are not reported as unknown. */
  extraDirectives: string[];
  /** Per rule id: a severity, or "off". */
  rules: Record<string, RuleLevel>;
  /** `nginx.validateOnSave.enabled`: run nginx -t on save (trusted workspaces only). */
  validateOnSave: boolean;
  /** `nginx.executablePath` (machine scope: workspace settings cannot set it). */
  executablePath: string;
  /**
   * The main configuration (its directory is the conf root includes resolve against), absolute or
   * relative to the workspace folder; empty: every nginx.conf found in the workspace.
   */
  mainConfig: string;
  /**
   * `nginx.version`: the nginx release the configuration is judged for (`1.24`, `1.30.4`); empty: that
   * of the nginx at `executablePath` in a trusted workspace, else the newest stable release known.
   */
  version: string;
  /**
   * `nginx.diagnosticsScope`: `workspace`, the problems of every file the main configs reach and of
   * every nginx file of the workspace folders; `openFiles`, those of the open editors only.
   */
  diagnosticsScope: DiagnosticsScope;
}

export type DiagnosticsScope = 'workspace' | 'openFiles';
const SCOPES: readonly DiagnosticsScope[] = ['workspace', 'openFiles'];

export const defaultSettings: Settings = {
  extraDirectives: [], rules: {}, validateOnSave: false, executablePath: '/usr/sbin/nginx', mainConfig: '', version: '', diagnosticsScope: 'workspace',
};

const LEVEL_NAMES: readonly RuleLevel[] = ['error', 'warning', 'information', 'hint', 'off'];
const LEVELS = new Set<RuleLevel>(LEVEL_NAMES);

/**
 * The JSON schema of `nginx.rules` in package.json, one key per rule with its description, so the
 * editor offers the rule ids (written there by scripts/generate-rules-schema.ts, checked by test/unit/settings.test.ts).
 */
export function rulesSettingSchema(): Record<string, unknown> {
  const level = { type: 'string', enum: LEVEL_NAMES };
  return {
    type: 'object',
    default: {},
    markdownDescription: 'Severity per rule id (the diagnostic code), e.g. `{ "ws-read-timeout": "off", "ws-no-tls": "hint" }`.',
    properties: Object.fromEntries(allRules.map((rule) => [rule.id, { ...level, markdownDescription: `${rule.description} Default: \`${rule.severity}\`.` }])),
    additionalProperties: false,
  };
}
const RULE_IDS = new Set(allRules.map((rule) => rule.id));

/** Reads the `nginx` settings section as the client sent it, keeping only well-formed values. */
export function parseSettings(raw: unknown): Settings {
  const section = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const extra = Array.isArray(section.extraDirectives) ? section.extraDirectives.filter((name): name is string => typeof name === 'string') : [];
  const rules: Record<string, RuleLevel> = {};
  if (section.rules && typeof section.rules === 'object') {
    for (const [id, level] of Object.entries(section.rules as Record<string, unknown>)) {
      if (RULE_IDS.has(id) && LEVELS.has(level as RuleLevel)) rules[id] = level as RuleLevel;
    }
  }
  const validateOnSave = (section.validateOnSave as { enabled?: unknown } | undefined)?.enabled;
  return {
    extraDirectives: extra,
    rules,
    validateOnSave: typeof validateOnSave === 'boolean' ? validateOnSave : defaultSettings.validateOnSave,
    executablePath: typeof section.executablePath === 'string' ? section.executablePath : defaultSettings.executablePath,
    mainConfig: typeof section.mainConfig === 'string' ? section.mainConfig : defaultSettings.mainConfig,
    version: typeof section.version === 'string' && parseVersion(section.version) ? section.version.trim() : defaultSettings.version,
    diagnosticsScope: SCOPES.find((scope) => scope === section.diagnosticsScope) ?? defaultSettings.diagnosticsScope,
  };
}
