import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autoBase, CA_BUNDLE_PATH, findHostCaBundle } from '../../../src/build/auto-base.js';
import { need } from '../../helpers/requirements.js';

const paths = (b: ReturnType<typeof autoBase>) => b.entries.map((e) => e.path).sort();

test('a program without TLS or time zones gets passwd, group, /tmp and a home: nothing else', () => {
  const b = autoBase({ usesTls: false, loadsTimeZones: false, embedsTzdata: false });
  assert.deepEqual(paths(b), ['etc/group', 'etc/passwd', 'home/nonroot', 'tmp']);
  assert.equal(b.caBundle, null);
  assert.equal(b.tz, 'none');
  assert.deepEqual(b.tags, []);
  assert.deepEqual(b.env, []);
  const passwd = b.entries.find((e) => e.path === 'etc/passwd');
  assert.ok(passwd?.type === 'file' && passwd.content.kind === 'bytes');
  assert.match(passwd.content.data.toString(), /^nonroot:x:65532:65532:/m);
});

test('a TLS client gets the CA bundle and SSL_CERT_FILE', (t) => {
  if (!need(t, findHostCaBundle() !== undefined, 'a CA bundle on this machine (ca-certificates)')) return;
  const b = autoBase({ usesTls: true, loadsTimeZones: false, embedsTzdata: false });
  assert.ok(paths(b).includes('etc/ssl/certs/ca-certificates.crt'), paths(b).join(' '));
  assert.deepEqual(b.env, [`SSL_CERT_FILE=${CA_BUNDLE_PATH}`]);
  assert.ok(b.files.some((f) => f.path === CA_BUNDLE_PATH && f.kind === 'data' && f.size > 1000));
});

test('loading zones links Go tzdata into the binary instead of shipping a zoneinfo tree', () => {
  const b = autoBase({ usesTls: false, loadsTimeZones: true, embedsTzdata: false });
  assert.equal(b.tz, 'timetzdata');
  assert.deepEqual(b.tags, ['timetzdata']);
  assert.ok(!paths(b).some((p) => p.includes('zoneinfo')));
});

test('zones already embedded (time/tzdata imported, or the tag given) add nothing', () => {
  assert.equal(autoBase({ usesTls: false, loadsTimeZones: true, embedsTzdata: true }).tz, 'embedded');
  const tagged = autoBase(
    { usesTls: false, loadsTimeZones: true, embedsTzdata: false },
    { tags: ['timetzdata'] },
  );
  assert.equal(tagged.tz, 'embedded');
  assert.deepEqual(tagged.tags, []);
});

test('a missing --ca-bundle is a clear input error', () => {
  assert.throws(
    () =>
      autoBase(
        { usesTls: true, loadsTimeZones: false, embedsTzdata: false },
        { caBundle: '/nonexistent/ca.pem' },
      ),
    /does not exist/,
  );
});
