// The fixes of nginx's own errors (a typo's "did you mean", a missing `;`), the fix-alls, and the
// preferred fix chosen by what the configuration already has. Each fixed configuration is judged by
// the real nginx -t, and analysed again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../server/src/analysis/types';
import { fixAll, fixAllsOfKinds, quickFixes } from '../../server/src/features/codeActions';
import { analyzeFiles, applyEdits } from '../support/analysis';
import { nginxAvailable, nginxTest } from '../support/nginx';
import { forNginx, httpConf, lines, MAIN } from '../support/websocket';

const skip = nginxAvailable() ? false : 'nginx not installed';

const preferredOf = (finding: Finding) => finding.fixes?.find((fix) => fix.preferred);

/** Applies the preferred fix of the one finding of `code`, checks nginx -t accepts the result and that the finding is gone. */
function fixOne(text: string, code: string, title: string | RegExp): string {
  const files = { [MAIN]: text };
  const findings = analyzeFiles(files, MAIN).filter((finding) => finding.code === code);
  assert.equal(findings.length, 1, JSON.stringify(findings));
  const fix = preferredOf(findings[0]);
  assert.ok(fix, `no preferred fix for ${code}`);
  if (typeof title === 'string') assert.equal(fix.title, title);
  else assert.match(fix.title, title);
  const fixed = applyEdits(files, fix.edits);
  assert.deepEqual(analyzeFiles(fixed, MAIN).filter((finding) => finding.code === code), []);
  const verdict = nginxTest(forNginx(fixed), 'nginx.conf');
  assert.ok(verdict.ok, verdict.output);
  return fixed[MAIN];
}

test('"did you mean" is the preferred fix of an unknown directive, and renames only the name', { skip }, () => {
  const fixed = fixOne(httpConf('    server {', '        listen 80;', '        location / {', '            proxy_pas http://127.0.0.1:3000;', '        }', '    }'),
    'unknown-directive', 'Change to "proxy_pass"');
  assert.match(fixed, /^ {12}proxy_pass http:\/\/127\.0\.0\.1:3000;$/m);
  // No guess, no fix.
  const [unknown] = analyzeFiles({ [MAIN]: httpConf('    zzqqxx_whatever on;') }, MAIN).filter((finding) => finding.code === 'unknown-directive');
  assert.equal(unknown.fixes, undefined);
});

test('a byte order mark, which nginx reads as part of the first name, is named and removed by the fix', { skip }, () => {
  const text = `\ufeff${httpConf('    server_tokens off;')}`;
  const [unknown] = analyzeFiles({ [MAIN]: text }, MAIN).filter((finding) => finding.code === 'unknown-directive');
  assert.match(unknown.message, /^unknown directive "\ufeff\w+" \(the file starts with a UTF-8 byte order mark/);
  assert.ok(nginxTest(forNginx({ [MAIN]: text }), 'nginx.conf').output.includes(`unknown directive "\ufeff`));
  const fixed = fixOne(text, 'unknown-directive', /^Change to /);
  assert.equal(fixed, text.slice(1));
});

test('a missing ";" before "}" or the end of the file, after a comment too, gets the fix "Add the missing ;"', { skip }, () => {
  for (const text of [
    httpConf('    server {', '        listen 80', '    }'),
    httpConf('    server {', '        listen 80   # the port', '    }'),
    lines('events {}', 'http {}', 'worker_processes 2'),
  ]) {
    const fixed = fixOne(text, 'syntax', 'Add the missing ";"');
    assert.equal(fixed.length, text.length + 1);
  }
  // A stray "}" is not a missing ";".
  const [stray] = analyzeFiles({ [MAIN]: lines('events {}', 'http {}', '}') }, MAIN).filter((finding) => finding.code === 'syntax');
  assert.equal(stray.fixes, undefined);
});

test('a ";" left out where nginx takes the next line as arguments and loads the file: a warning, and the fix', { skip }, () => {
  const gzip = httpConf('    gzip on;', '    gzip_types text/css application/javascript', '    gzip_vary on;');
  const [finding] = analyzeFiles({ [MAIN]: gzip }, MAIN).filter((found) => found.code === 'swallowed-directive');
  assert.equal(finding.severity, 'warning');
  assert.equal(finding.message, '"gzip_vary" starts a line, but nginx reads it as an argument of "gzip_types": is a ";" missing before it?');
  assert.match(fixOne(gzip, 'swallowed-directive', 'Add the missing ";"'), /application\/javascript;\n {4}gzip_vary on;/);
  assert.match(fixOne(httpConf('    server {', '        listen 80;', '        server_name example.com', '        root /var/www;', '    }'), 'swallowed-directive', 'Add the missing ";"'), /example\.com;\n/);
  // Words on later lines that are values: names, quoted format parts, a directive of another block.
  const clean = httpConf(
    '    log_format main \'$remote_addr\'', '        \'$status\';',
    '    server {', '        listen 80;', '        server_name example.com', '            www.example.com;',
    '        add_header X-Mode', '            events;', '    }',
  );
  assert.deepEqual(analyzeFiles({ [MAIN]: clean }, MAIN).filter((found) => found.code === 'swallowed-directive'), []);
  assert.ok(nginxTest(forNginx({ [MAIN]: clean }), 'nginx.conf').ok);
});

test('blocks the end of the file left open get the fix that closes them, with the missing ";" when one is missing too', { skip }, () => {
  const open = lines('events {}', 'http {', '    server {', '        listen 80;', '        location / {', '            return 200;');
  const closed = fixOne(open, 'syntax', 'Close the 3 open blocks with "}"');
  assert.equal(closed, `${open}        }\n    }\n}\n`);
  // Cut off in a directive: the `;` and the closings, the `;` alone offered too.
  const cutOff = 'events {}\nhttp {\n  server {\n    listen 80';
  assert.equal(fixOne(cutOff, 'syntax', 'Add the missing ";" and close the 2 open blocks'), `${cutOff};\n  }\n}\n`);
  const [finding] = analyzeFiles({ [MAIN]: cutOff }, MAIN).filter((found) => found.code === 'syntax');
  assert.deepEqual(finding.fixes?.map((fix) => [fix.title, fix.preferred]), [['Add the missing ";" and close the 2 open blocks', true], ['Add the missing ";"', false]]);
  // CRLF files get CRLF lines.
  assert.equal(fixOne('events {}\r\nhttp {\r\n', 'syntax', 'Close the open block with "}"'), 'events {}\r\nhttp {\r\n}\r\n');
});

test('a missing ";" that makes the next line\'s directive arguments gets the fix too', { skip }, () => {
  const fixed = fixOne(httpConf('    server {', '        listen 80;', '        location / {', '            proxy_pass http://127.0.0.1:3000', '            proxy_buffering off;', '        }', '    }'),
    'invalid-arguments', 'Add the missing ";"');
  assert.match(fixed, /proxy_pass http:\/\/127\.0\.0\.1:3000;\n/);
});

const twoSockets = httpConf(
  '    server {',
  '        listen 80;',
  '        location /a/ {',
  '            proxy_pass http://127.0.0.1:3000;',
  '            proxy_http_version 1.1;',
  '            proxy_set_header Upgrade $http_upgrade;',
  '            proxy_set_header Connection $connection_upgrade;',
  '        }',
  '        location /b/ {',
  '            proxy_pass http://127.0.0.1:3001;',
  '            proxy_http_version 1.1;',
  '            proxy_set_header Upgrade $http_upgrade;',
  '            proxy_set_header Connection $connection_upgrade;',
  '        }',
  '    }',
);

test('fix all of one kind: both locations fixed at once, the shared map added once', { skip }, () => {
  const files = { [MAIN]: twoSockets };
  const findings = analyzeFiles(files, MAIN);
  const unknown = findings.filter((finding) => finding.code === 'unknown-variable');
  assert.equal(unknown.length, 2);
  const atFirst = quickFixes(findings, MAIN, unknown[0].span);
  const [ofKind] = fixAllsOfKinds(findings, MAIN, atFirst).filter((all) => all.title.includes('unknown-variable'));
  assert.deepEqual(ofKind.findings, unknown);
  const fixed = applyEdits(files, ofKind.edits);
  assert.equal(fixed[MAIN].match(/map \$http_upgrade \$connection_upgrade/g)?.length, 1);
  assert.deepEqual(analyzeFiles(fixed, MAIN).filter((finding) => finding.code === 'unknown-variable'), []);
  const verdict = nginxTest(forNginx(fixed), 'nginx.conf');
  assert.ok(verdict.ok, verdict.output);
  // One finding of a kind is not worth a fix-all of it.
  const single = analyzeFiles({ [MAIN]: httpConf('    server {', '        listen 80;', '        location / {', '            proxy_pas http://a;', '        }', '    }') }, MAIN);
  assert.deepEqual(fixAllsOfKinds(single, MAIN, quickFixes(single, MAIN, single[0].span)), []);
});

test('fix all safe: every preferred fix but those that need the user\'s values (TLS certificates), run by run until nginx -t accepts', { skip }, () => {
  let files: Record<string, string> = { [MAIN]: twoSockets.replace('proxy_pass http://127.0.0.1:3001;', 'proxy_pas http://127.0.0.1:3001;') };
  const fixedCodes: string[][] = [];
  for (let run = 0; run < 3; run++) {
    const findings = analyzeFiles(files, MAIN);
    assert.ok(findings.some((finding) => finding.code === 'ws-no-tls' && preferredOf(finding)?.needsInput), 'the TLS fix is there, and needs input');
    const all = fixAll(findings, MAIN);
    if (!all) break;
    fixedCodes.push([...new Set(all.findings.map((finding) => finding.code))].sort());
    files = applyEdits(files, all.edits);
  }
  // nginx stops at the unknown directive: the unknown variables are its next errors, fixed by the next run.
  assert.deepEqual(fixedCodes, [['unknown-directive', 'ws-upgrade-unrestricted'], ['unknown-variable', 'ws-upgrade-unrestricted']]);
  // What is left needs the user's certificates: one ws-no-tls per location.
  assert.deepEqual(analyzeFiles(files, MAIN).map((finding) => finding.code), ['ws-no-tls', 'ws-no-tls']);
  const verdict = nginxTest(forNginx(files), 'nginx.conf');
  assert.ok(verdict.ok, verdict.output);
});

test('the preferred Connection fix is the map the configuration already has, else the map idiom added at http level', () => {
  const location = ['        location /ws/ {', '            proxy_pass http://127.0.0.1:3000;', '            proxy_http_version 1.1;', '            proxy_set_header Upgrade $http_upgrade;', '        }'];
  const withMap = httpConf('    map $http_upgrade $conn_up {', '        default upgrade;', "        '' close;", '    }', '    server {', '        listen 80;', ...location, '    }');
  const withoutMap = httpConf('    server {', '        listen 80;', ...location, '    }');
  const preferred = (text: string) => preferredOf(analyzeFiles({ [MAIN]: text }, MAIN).find((finding) => finding.code === 'ws-missing-connection')!)!;
  assert.match(preferred(withMap).edits.map((edit) => edit.newText).join(''), /proxy_set_header Connection \$conn_up;/);
  // A constant "upgrade" would also go with plain requests (issue 11): the idiom comes first.
  assert.match(preferred(withoutMap).edits.map((edit) => edit.newText).join(''), /map \$http_upgrade \$connection_upgrade[\s\S]*proxy_set_header Connection \$connection_upgrade;/);
});
