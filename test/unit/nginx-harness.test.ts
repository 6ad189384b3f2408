import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nginxAvailable, nginxTest, testCertificates, wrapInHttp } from '../support/nginx';

const skip = nginxAvailable() ? false : 'nginx not installed';

test('wrapInHttp puts the body on line 3', () => {
  assert.equal(wrapInHttp('server {}'), 'events {}\nhttp {\nserver {}\n}\n');
});

test('a valid config is ok', { skip }, () => {
  const result = nginxTest({ 'nginx.conf': wrapInHttp('server {\n  listen 8080;\n}') }, 'nginx.conf');
  assert.equal(result.ok, true, result.output);
  assert.equal(result.file, undefined);
  assert.equal(result.line, undefined);
  assert.equal(result.message, undefined);
});

test('a syntax error reports file, line and message', { skip }, () => {
  const result = nginxTest({ 'nginx.conf': 'events {}\nhttp {}\n}\n' }, 'nginx.conf');
  assert.equal(result.ok, false);
  assert.equal(result.file, 'nginx.conf');
  assert.equal(result.line, 3);
  assert.equal(result.message, 'unexpected "}"');
  assert.match(result.output, /\[emerg\]/);
});

test('an error in an included file is reported relative to the prefix', { skip }, () => {
  const result = nginxTest(
    {
      'nginx.conf': wrapInHttp('include conf.d/*.conf;'),
      'conf.d/ws.conf': 'server {\n  listen 8080;\n  location / {\n    proxy_pass;\n  }\n}\n',
    },
    'nginx.conf',
  );
  assert.equal(result.ok, false);
  assert.equal(result.file, 'conf.d/ws.conf');
  assert.equal(result.line, 4);
  assert.equal(result.message, 'invalid number of arguments in "proxy_pass" directive');
});

test('an error without a location has only a message', { skip }, () => {
  const body = 'server {\n  listen 8443 ssl;\n  ssl_certificate /nonexistent/cert.pem;\n  ssl_certificate_key /nonexistent/key.pem;\n}';
  const result = nginxTest({ 'nginx.conf': wrapInHttp(body) }, 'nginx.conf');
  assert.equal(result.ok, false);
  assert.match(result.message ?? '', /^cannot load certificate "\/nonexistent\/cert\.pem"/);
  assert.equal(result.file, undefined);
  assert.equal(result.line, undefined);
});

test('testCertificates are accepted by nginx', { skip }, () => {
  const { cert, key } = testCertificates();
  assert.equal(testCertificates().cert, cert, 'generated once per process');
  const body = `server {\n  listen 8443 ssl;\n  ssl_certificate ${cert};\n  ssl_certificate_key ${key};\n}`;
  const result = nginxTest({ 'nginx.conf': wrapInHttp(body) }, 'nginx.conf');
  assert.equal(result.ok, true, result.output);
});
