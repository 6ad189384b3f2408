/**
 * Edits that never damage text (issue 17), on any mix of line ends. Every corpus file is rewritten
 * with random `\n`, `\r\n` and lone `\r` line ends, and what the service answers on it is applied as
 * an LSP client applies it: LSP ranges from the file's LineIndex, then TextDocument.applyEdits.
 * - formatting (whole and random ranges), every quick fix and the rename of every upstream and user
 *   variable defined in the file change exactly what their offsets announce (the LSP result equals
 *   the offset result: no range lands elsewhere), and nothing but whitespace differs from what the
 *   same request gives on the LF file;
 * - range formatting changes nothing outside its range;
 * - diagnostics and hovers land on the same tokens as in the LF file.
 * A lone CR is a blank for nginx but in a comment, which nginx ends at LF only (ngx_conf_read_token):
 * lines that may end in a comment (`#`, Lua's `--`) or a quoted string keep an LF (`\n` or `\r\n`),
 * so that nginx reads both files alike. A second pass puts lone CRs anywhere: nginx then reads the
 * file otherwise, so nothing is compared with the LF file, but every edit still changes only what
 * its offsets announce and every diagnostic lands where its offsets are.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyEdits } from '../../server/src/analysis/edits';
import type { TextEdit } from '../../server/src/analysis/types';
import { LanguageService } from '../../server/src/features/service';
import { findMainConfigs } from '../../server/src/nodeFileSystem';
import type { Span } from '../../server/src/parser';
import { corpusAvailable, CORPUS_DIR, oracleRecords, overlayFs } from '../support/corpus';
import { seededRandom, seedOf } from '../support/mutants';

/** Mixes per corpus file, and random positions (hovers) and ranges (range formatting) per mix. */
const MIXES_PER_FILE = 2;
const HOVERS_PER_MIX = 20;
const RANGES_PER_MIX = 5;
const FORMATTING = { tabSize: 4, insertSpaces: true };

const withoutBlanks = (text: string) => text.replace(/[ \t\r\n\f\v]+/g, '');

/** `text` (LF line ends) with each LF replaced by a random line end, and where each offset went. */
function mixLineEnds(text: string, random: () => number): { text: string; offsetOf: (lfOffset: number) => number } {
  const lines = text.split('\n');
  const moved: number[] = []; // moved[lfOffset] = offset in the mixed text
  let out = '';
  lines.forEach((line, index) => {
    for (let i = 0; i <= line.length; i++) moved.push(out.length + i);
    out += line;
    if (index === lines.length - 1) return;
    // A lone CR right before the next line's LF would make one CRLF of two line ends.
    const loneCrFits = !/[#"']|--/.test(line) && lines[index + 1] !== '';
    const ends = loneCrFits ? ['\n', '\r\n', '\r'] : ['\n', '\r\n'];
    out += ends[Math.floor(random() * ends.length)];
  });
  return { text: out, offsetOf: (offset) => moved[offset] };
}

/** A service over the corpus folder of `relative`, with `text` as that file's content. */
function serviceFor(relative: string, text: string): { service: LanguageService; path: string } {
  const path = join(CORPUS_DIR, relative);
  const service = new LanguageService(overlayFs(new Map([[path, text]])));
  service.setRoots(findMainConfigs(join(CORPUS_DIR, relative.split('/')[0])));
  return { service, path };
}

/**
 * Applies the edits of `path` as a client does (LSP ranges, TextDocument.applyEdits) and checks that
 * the result is what their offsets announce. Returns the result.
 */
function applyAsClient(service: LanguageService, path: string, edits: readonly TextEdit[], what: string): string {
  const file = service.file(path)!;
  const own = edits.filter((edit) => edit.file === path);
  const document = TextDocument.create('file://' + path, 'nginx', 1, file.text);
  const applied = TextDocument.applyEdits(document, own.map((edit) => ({ range: file.lines.rangeOf(edit.span), newText: edit.newText })));
  assert.equal(applied, applyEdits(file.text, own), `${what}: the client applied something else than the edits announce`);
  return applied;
}

/** The span an LSP range names in `document`, as a client reads it. */
function spanOf(document: TextDocument, range: { start: { line: number; character: number }; end: { line: number; character: number } }): Span {
  return { start: document.offsetAt(range.start), end: document.offsetAt(range.end) };
}

/**
 * Formatting of the whole file and of random ranges (between random LSP positions), applied as a
 * client applies it: whitespace only, and nothing changed outside the range. True when the whole
 * file's formatting changed it.
 */
function checkFormatting(service: LanguageService, path: string, random: () => number, where: string): boolean {
  const file = service.file(path)!;
  const { text } = file;
  const document = TextDocument.create('file://' + path, 'nginx', 1, text);
  const formatted = applyAsClient(service, path, service.format(path, FORMATTING), `${where}: formatting`);
  assert.equal(withoutBlanks(formatted), withoutBlanks(text), `${where}: formatting changed more than whitespace`);
  for (let i = 0; i < RANGES_PER_MIX; i++) {
    const ends = [random(), random()].map((r) => document.positionAt(Math.floor(r * (text.length + 1)))).sort((a, b) => a.line - b.line || a.character - b.character);
    const range = spanOf(document, { start: ends[0], end: ends[1] });
    const out = applyAsClient(service, path, service.format(path, FORMATTING, { start: file.lines.offsetAt(ends[0]), end: file.lines.offsetAt(ends[1]) }), `${where}: range formatting`);
    assert.equal(out.slice(0, range.start), text.slice(0, range.start), `${where}: range formatting changed text before its range`);
    assert.equal(out.slice(out.length - (text.length - range.end)), text.slice(range.end), `${where}: range formatting changed text after its range`);
    assert.equal(withoutBlanks(out), withoutBlanks(text), `${where}: range formatting changed more than whitespace`);
  }
  return formatted !== text;
}

/** Where the renames start: the name of every `upstream` block and of every variable `set`, `map` or `geo` defines. */
function definedNames(text: string): Array<{ offset: number; newName: string }> {
  return [
    ...[...text.matchAll(/\bupstream\s+([\w.-]+)\s*\{/g)].map((match) => ({ offset: match.index + match[0].indexOf(match[1]), newName: 'renamed_upstream' })),
    ...[...text.matchAll(/\b(?:set|map\s+\S+|geo(?:\s+\S+)?)\s+(\$\w+)/g)].map((match) => ({ offset: match.index + match[0].lastIndexOf(match[1]) + 1, newName: 'renamed_variable' })),
  ];
}

test('formatting, quick fixes and renames on any mix of line ends, applied as a client applies them, change only what they announce', (t) => {
  if (!corpusAvailable()) {
    t.skip('../shared/corpus is absent');
    return;
  }
  const counts = { files: 0, formatted: 0, ranges: 0, fixes: 0, renames: 0, hovers: 0, diagnostics: 0 };
  for (const { file: relative } of oracleRecords()) {
    const lfText = readFileSync(join(CORPUS_DIR, relative), 'utf8');
    if (lfText.includes('\r')) continue; // the mixes are made from LF files
    const random = seededRandom(seedOf(relative));
    const lf = serviceFor(relative, lfText);
    const lfFindings = lf.service.diagnose(lf.path).filter((finding) => finding.file === lf.path);
    counts.files++;

    for (let mix = 0; mix < MIXES_PER_FILE; mix++) {
      const { text, offsetOf } = mixLineEnds(lfText, random);
      const { service, path } = serviceFor(relative, text);
      const file = service.file(path)!;
      const document = TextDocument.create('file://' + path, 'nginx', 1, text);
      const where = `${relative} (mix ${mix})`;
      const mapped = (span: Span) => ({ start: offsetOf(span.start), end: offsetOf(span.end) });

      // Diagnostics: the same findings, on the same tokens, through LSP ranges.
      const findings = service.diagnose(path).filter((finding) => finding.file === path);
      assert.deepEqual(
        findings.map((finding) => ({ code: finding.code, message: finding.message, span: spanOf(document, file.lines.rangeOf(finding.span)) })),
        lfFindings.map((finding) => ({ code: finding.code, message: finding.message, span: mapped(finding.span) })),
        `${where}: diagnostics`,
      );
      counts.diagnostics += findings.length;

      // Hovers at random offsets of the LF file, asked at the LSP position of the same character.
      for (let i = 0; i < HOVERS_PER_MIX && lfText.length > 0; i++) {
        const lfOffset = Math.floor(random() * lfText.length);
        const expected = lf.service.hover(lf.path, lfOffset);
        const hover = service.hover(path, file.lines.offsetAt(document.positionAt(offsetOf(lfOffset))));
        assert.deepEqual(
          hover && { markdown: hover.markdown, span: spanOf(document, file.lines.rangeOf(hover.span)) },
          expected && { markdown: expected.markdown, span: mapped(expected.span) },
          `${where}: hover at ${lfOffset}`,
        );
        if (hover) counts.hovers++;
      }

      if (checkFormatting(service, path, random, where)) counts.formatted++;
      counts.ranges += RANGES_PER_MIX;

      // Every quick fix: what it gives on the LF file, but for whitespace.
      findings.forEach((finding, index) => {
        (finding.fixes ?? []).forEach((fix, fixIndex) => {
          const out = applyAsClient(service, path, fix.edits, `${where}: fix "${fix.title}"`);
          const lfOut = applyEdits(lfText, lfFindings[index].fixes![fixIndex].edits.filter((edit) => edit.file === lf.path));
          assert.equal(withoutBlanks(out), withoutBlanks(lfOut), `${where}: fix "${fix.title}" differs from the LF file's`);
          counts.fixes++;
        });
      });

      // Renames of every upstream and user variable the file defines, to a fresh name.
      for (const { offset: lfOffset, newName } of definedNames(lfText)) {
        const lspOffset = file.lines.offsetAt(document.positionAt(offsetOf(lfOffset)));
        if (!service.prepareRename(path, lspOffset)) continue;
        const result = service.rename(path, lspOffset, newName);
        const lfResult = lf.service.rename(lf.path, lfOffset, newName);
        assert.ok('edits' in result && 'edits' in lfResult, `${where}: rename at ${lfOffset}: ${JSON.stringify(result)}`);
        const out = applyAsClient(service, path, result.edits, `${where}: rename to ${newName}`);
        const lfOut = applyEdits(lfText, lfResult.edits.filter((edit) => edit.file === lf.path));
        assert.equal(withoutBlanks(out), withoutBlanks(lfOut), `${where}: rename to ${newName} differs from the LF file's`);
        counts.renames++;
      }
    }
  }
  t.diagnostic(`${counts.files} corpus files × ${MIXES_PER_FILE} mixes: ${counts.diagnostics} diagnostics and ${counts.hovers} hovers on the same tokens, ` +
    `${counts.formatted} formattings that changed text, ${counts.ranges} range formattings, ${counts.fixes} quick fixes, ${counts.renames} renames`);
  assert.ok(counts.files >= 150, `only ${counts.files} corpus files`);
  assert.ok(counts.fixes > 0 && counts.renames > 0 && counts.hovers > 0, JSON.stringify(counts));
});

test('with lone CRs anywhere (in comments and strings too, where nginx reads the file otherwise), every edit changes only what it announces', (t) => {
  if (!corpusAvailable()) {
    t.skip('../shared/corpus is absent');
    return;
  }
  const counts = { files: 0, diagnostics: 0, fixes: 0, renames: 0 };
  for (const { file: relative } of oracleRecords()) {
    const lfText = readFileSync(join(CORPUS_DIR, relative), 'utf8');
    const random = seededRandom(seedOf(`any ${relative}`));
    const text = lfText.replace(/\n/g, () => ['\n', '\r\n', '\r'][Math.floor(random() * 3)]);
    const { service, path } = serviceFor(relative, text);
    const file = service.file(path)!;
    const document = TextDocument.create('file://' + path, 'nginx', 1, text);
    const where = `${relative} (lone CRs anywhere)`;
    counts.files++;

    const findings = service.diagnose(path).filter((finding) => finding.file === path);
    for (const finding of findings) {
      assert.deepEqual(spanOf(document, file.lines.rangeOf(finding.span)), { start: finding.span.start, end: finding.span.end }, `${where}: ${finding.code} lands elsewhere`);
      for (const fix of finding.fixes ?? []) {
        applyAsClient(service, path, fix.edits, `${where}: fix "${fix.title}"`);
        counts.fixes++;
      }
    }
    counts.diagnostics += findings.length;
    checkFormatting(service, path, random, where);
    for (const { offset, newName } of definedNames(text)) {
      const result = service.prepareRename(path, offset) && service.rename(path, offset, newName);
      if (!result || !('edits' in result)) continue;
      applyAsClient(service, path, result.edits, `${where}: rename to ${newName}`);
      counts.renames++;
    }
  }
  t.diagnostic(`${counts.files} corpus files: ${counts.diagnostics} diagnostics where their offsets are, ${counts.fixes} quick fixes, ${counts.renames} renames`);
  assert.ok(counts.files >= 150 && counts.fixes > 0 && counts.renames > 0, JSON.stringify(counts));
});
