// Plain data that the analysis returns: no LSP types; `file` is the caller's id for a file (a path or
// an URI) and spans are offsets into that file.

import type { Span } from '../parser';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface TextEdit {
  file: string;
  span: Span;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix to pick when there are several (the editor's preferred quick fix; what a fix-all applies). */
  preferred?: boolean;
  /** The result needs the user's own values (certificate paths): offered one by one, never by a fix-all. */
  needsInput?: true;
}

export interface RelatedLocation {
  file: string;
  span: Span;
  message: string;
}

export interface Finding {
  /** The rule id: stable, used as the diagnostic code and in settings. */
  code: string;
  severity: Severity;
  message: string;
  file: string;
  span: Span;
  related?: RelatedLocation[];
  fixes?: Fix[];
}

/** What each rule declares about itself (css-languageservice's lintRules shape). */
export interface RuleInfo {
  id: string;
  severity: Severity;
  description: string;
  /** A page that explains the problem (shown as the diagnostic's code link). */
  docs?: string;
}
