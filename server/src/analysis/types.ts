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
  preferred?: boolean;
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
