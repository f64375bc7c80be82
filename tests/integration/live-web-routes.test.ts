// The pages and the bundle as the hub serves them (hub/routes/web), without a browser.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestHub } from '../helpers/hub.ts';

describe('the pages and the bundle as the hub serves them', () => {
  test('the three pages are one Arabic right-to-left shell that loads the bundle', async (t) => {
    const hub = await startTestHub(t);
    for (const [url, page] of [['/', 'app'], ['/tv', 'tv'], ['/status', 'status']] as const) {
      const res = await hub.app.inject({ url });
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /^text\/html/);
      assert.match(res.body, /<html lang="ar" dir="rtl">/);
      assert.match(res.body, new RegExp(`<body data-page="${page}">`));
      assert.match(res.body, /<script type="module" src="\/assets\/app.js">/);
    }
  });

  test('assets: JavaScript, CSS with the bundled fonts, revalidation by ETag, unknown files 404', async (t) => {
    const hub = await startTestHub(t);
    const js = await hub.app.inject({ url: '/assets/app.js' });
    assert.equal(js.statusCode, 200);
    assert.match(js.headers['content-type'] as string, /^text\/javascript/);
    // The entry is small: each page imports its own chunk (and only the shell loads the panels).
    const chunk = /import\("\.\/(chunks\/sh-tv-[A-Z0-9]+\.js)"\)/.exec(js.body);
    assert.ok(chunk, 'app.js imports the TV page chunk on demand');
    const tv = await hub.app.inject({ url: `/assets/${chunk[1]}` });
    assert.equal(tv.statusCode, 200);
    assert.match(tv.body, /sh-tv/);
    assert.match(tv.headers['cache-control'] as string, /immutable/);
    const again = await hub.app.inject({ url: '/assets/app.js', headers: { 'if-none-match': js.headers.etag as string } });
    assert.equal(again.statusCode, 304);

    const css = await hub.app.inject({ url: '/assets/styles.css' });
    assert.equal(css.statusCode, 200);
    const font = /url\("?\.?\/?(fonts\/cairo-arabic-400-normal-[A-Z0-9]+\.woff2)"?\)/.exec(css.body);
    assert.ok(font, 'the stylesheet points at the bundled Arabic font');
    const woff2 = await hub.app.inject({ url: `/assets/${font[1]}` });
    assert.equal(woff2.statusCode, 200);
    assert.equal(woff2.headers['content-type'], 'font/woff2');
    assert.match(woff2.headers['cache-control'] as string, /immutable/);

    const missing = await hub.app.inject({ url: '/assets/nope.js' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'NOT_FOUND');
    const traversal = await hub.app.inject({ url: '/assets/../../package.json' });
    assert.equal(traversal.statusCode, 404);
  });
});
